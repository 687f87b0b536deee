/**
 * The HTTP connector against the API emulator on loopback: the reference company's tickets and
 * ratings in Zendesk's shape, customers and orders in HubSpot's, each extracted as a run does it
 * and compared with a file load of the same rows.
 */
import { describe, expect, it } from 'vitest';
import { checkSources } from '../../../../cli/commands/sources.ts';
import { parseConfig } from '../../../../config/load.ts';
import { rawChecksum } from '../../../fixtures/reference-files.ts';
import { apiSource, columnsOf, emulatorFixture, ENTITIES, type EntityName, extract, fileChecksum, freshWarehouse, tableOf, TOKEN } from './api.ts';

const fixture = emulatorFixture();

describe('a full extract equals the file load of the same rows', () => {
  for (const entity of Object.keys(ENTITIES) as EntityName[]) {
    it(`${entity} (${ENTITIES[entity].preset})`, async () => {
      const warehouse = await freshWarehouse();
      try {
        const out = await extract(warehouse, { [entity]: apiSource(fixture.api.url, entity) }, entity);
        const expected = await fileChecksum(fixture.dataDir, entity);
        expect(await rawChecksum(warehouse, tableOf(entity), columnsOf(entity))).toEqual(expected);
        expect(out).toMatchObject({ status: 'loaded', rowsFetched: expected.rows, rowsLoaded: expected.rows, rowsQuarantined: 0, extraColumns: [] });
        expect(out.file).toMatch(new RegExp(`^${fixture.api.url}/`));
      } finally {
        warehouse.close();
      }
    });
  }
});

it('rows are numbered in the order the API sent them, across pages (so the later of two versions wins in staging)', async () => {
  const warehouse = await freshWarehouse();
  try {
    const source = apiSource(fixture.api.url, 'crm.tickets', { request: { path: '/api/v2/incremental/tickets/cursor.json', params: { start_time: 0, per_page: 100 } } });
    await extract(warehouse, { 'crm.tickets': source }, 'crm.tickets');
    const sent = fixture.api.collection('tickets').map((t) => String(t.id));
    const loaded = await warehouse.all<{ ticket_id: string }>(`SELECT ticket_id FROM raw.crm_tickets ORDER BY source_row`);
    expect(loaded.map((r) => r.ticket_id)).toEqual(sent);
  } finally {
    warehouse.close();
  }
});

describe('crm-eval sources check', () => {
  const all = () => Object.fromEntries((Object.keys(ENTITIES) as EntityName[]).map((e) => [e, apiSource(fixture.api.url, e)]));

  it('finds every mapped field of the four entities', async () => {
    const rows = await checkSources(parseConfig({ sources: all() }), { CRM_API_TOKEN: TOKEN });
    expect(rows.map((r) => [r.entity, r.ok, r.check.missing])).toEqual([
      ['crm.tickets', true, []],
      ['crm.surveys', true, []],
      ['crm.customers', true, []],
      ['crm.orders', true, []],
    ]);
    expect(rows[0]!.check.found).toHaveLength(columnsOf('crm.tickets').length);
  });

  it('names a field the API renamed, and refuses a wrong token without printing it', async () => {
    fixture.api.faults.rename = { from: 'priority', to: 'priority_level' };
    const [tickets] = await checkSources(parseConfig({ sources: { 'crm.tickets': apiSource(fixture.api.url, 'crm.tickets') } }), { CRM_API_TOKEN: TOKEN });
    expect(tickets).toMatchObject({ ok: false, check: { connected: true, missing: ['priority'], notes: ['fields not mapped, kept as extra columns: priority_level'] } });
    const [refused] = await checkSources(parseConfig({ sources: { 'crm.tickets': apiSource(fixture.api.url, 'crm.tickets') } }), { CRM_API_TOKEN: 'not-the-token-81' });
    expect(refused).toMatchObject({ ok: false, check: { connected: false } });
    expect(refused!.check.error).toMatch(/HTTP 401 Unauthorized: Couldn't authenticate you/);
    expect(JSON.stringify(refused)).not.toContain('not-the-token-81');
  });
});
