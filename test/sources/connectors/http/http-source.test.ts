/**
 * The HTTP connector against the API emulator on loopback: the reference company's tickets and
 * ratings in Zendesk's shape, customers and orders in HubSpot's, each extracted as a run does it
 * and compared with a file load of the same rows.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../../sources/examples/crm-api/emulator.ts';
import { rawChecksum, referenceFiles } from '../../../fixtures/reference-files.ts';
import { apiSource, columnsOf, ENTITIES, extract, fileChecksum, freshWarehouse, tableOf, TOKEN, type EntityName } from './api.ts';

let dataDir: string;
let api: Emulator;
beforeAll(async () => {
  dataDir = await referenceFiles();
  api = await startEmulator({ dataDir, token: TOKEN });
});
afterAll(async () => {
  await api?.close();
});
beforeEach(() => {
  for (const key of Object.keys(api.faults)) delete api.faults[key as keyof typeof api.faults];
});

describe('a full extract equals the file load of the same rows', () => {
  for (const entity of Object.keys(ENTITIES) as EntityName[]) {
    it(`${entity} (${ENTITIES[entity].preset})`, async () => {
      const warehouse = await freshWarehouse();
      try {
        const out = await extract(warehouse, { [entity]: apiSource(api.url, entity) }, entity);
        const expected = await fileChecksum(dataDir, entity);
        expect(await rawChecksum(warehouse, tableOf(entity), columnsOf(entity))).toEqual(expected);
        expect(out).toMatchObject({ status: 'loaded', rowsFetched: expected.rows, rowsLoaded: expected.rows, rowsQuarantined: 0, extraColumns: [] });
        expect(out.file).toMatch(new RegExp(`^${api.url}/`));
      } finally {
        warehouse.close();
      }
    });
  }
});

it('rows are numbered in the order the API sent them, across pages (so the later of two versions wins in staging)', async () => {
  const warehouse = await freshWarehouse();
  try {
    const source = apiSource(api.url, 'crm.tickets', { request: { path: '/api/v2/incremental/tickets/cursor.json', params: { start_time: 0, per_page: 100 } } });
    await extract(warehouse, { 'crm.tickets': source }, 'crm.tickets');
    const sent = api.collection('tickets').map((t) => String(t.id));
    const loaded = await warehouse.all<{ ticket_id: string }>(`SELECT ticket_id FROM raw.crm_tickets ORDER BY source_row`);
    expect(loaded.map((r) => r.ticket_id)).toEqual(sent);
  } finally {
    warehouse.close();
  }
});
