/**
 * An HTTP extract killed in the middle (SIGKILL, no chance to clean up) and run again loses
 * nothing and doubles nothing: the rerun keeps the pages committed before the kill and asks
 * the API only for the rest.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../../sources/examples/crm-api/emulator.ts';
import { Warehouse } from '../../../../warehouse/warehouse.ts';
import { tempDir } from '../../../fixtures/csv.ts';
import { referenceFiles } from '../../../fixtures/reference-files.ts';
import { killAtPage, runChild } from '../child.ts';
import { apiSource, TOKEN } from './api.ts';

let api: Emulator;
beforeAll(async () => {
  api = await startEmulator({ dataDir: await referenceFiles(), token: TOKEN, ticketCopies: 4 });
});
afterAll(async () => {
  await api?.close();
});

it('a ticket extract killed after a few pages, and run again, loads every ticket exactly once', async () => {
  const tickets = api.collection('tickets').length;
  const warehousePath = join(tempDir('crm-eval-http-crash-'), 'warehouse.duckdb');
  const source = apiSource(api.url, 'crm.tickets', { request: { path: '/api/v2/incremental/tickets/cursor.json', params: { start_time: 0, per_page: 100 } } });
  const env = {
    CRM_API_TOKEN: TOKEN,
    CRM_EVAL_CHILD: JSON.stringify({ warehouse: warehousePath, runId: 'crash-1', source: 'crm', entity: 'tickets', sources: { 'crm.tickets': source } }),
  };
  api.faults.slowMs = 40;
  const first = runChild(env);
  // Kill it once a few pages are committed, while it is still reading.
  await killAtPage(first, 5);
  expect(await first.exited).toBeNull();
  api.faults.slowMs = 0;

  const second = runChild(env);
  expect(await second.exited, second.lines.join('\n')).toBe(0);
  expect(second.lines.find((l) => l.includes('resuming after')), second.lines.join('\n')).toMatch(/resuming after \d+ committed page\(s\), \d+00 rows/);
  const done = JSON.parse(second.lines.find((l) => l.startsWith('DONE'))!.slice(5)) as { rowsFetched: number; rowsLoaded: number };
  expect(done).toMatchObject({ rowsFetched: tickets, rowsLoaded: tickets });
  const warehouse = await Warehouse.open(warehousePath, { readOnly: true });
  try {
    const raw = await warehouse.one<{ rows: number; keys: number }>(`SELECT count(*)::BIGINT AS rows, count(DISTINCT ticket_id)::BIGINT AS keys FROM raw.crm_tickets`);
    expect(raw).toEqual({ rows: tickets, keys: tickets });
  } finally {
    warehouse.close();
  }
});
