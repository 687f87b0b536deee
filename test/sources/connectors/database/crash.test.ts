/**
 * A load killed in the middle (SIGKILL, no chance to clean up) and run again loses nothing and
 * doubles nothing: the rerun keeps the pages committed before the kill, reads the rest, and
 * the warehouse holds every source row exactly once.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Warehouse } from '../../../../warehouse/warehouse.ts';
import { tempDir } from '../../../fixtures/csv.ts';
import { killAtPage, runChild } from '../child.ts';
import { createErpTables, seedLedgerLines } from './erp.ts';
import { availableServers, createScratch, type Scratch } from './servers.ts';
import { describeOnServers } from './suites.ts';

const servers = await availableServers();
const ROWS = 60_000;

describeOnServers('a load killed mid-stream', servers, (dialect) => {
  let scratch: Scratch;
  beforeAll(async () => {
    scratch = await createScratch(dialect);
    const tables = await createErpTables(scratch.db, dialect);
    await seedLedgerLines(scratch, tables.gl, ROWS);
    Object.assign(scratch, { gl: tables.gl });
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it('and run again loses and doubles nothing', async () => {
    const warehousePath = join(tempDir('crm-eval-crash-'), 'warehouse.duckdb');
    const source = scratch.source({
      table: (scratch as Scratch & { gl: string }).gl,
      columns: { entry_id: 'id', posted_on: 'posting_date' },
      chunk_rows: 1000,
      incremental: { updated_at: 'updated_at', key: 'id', safety_lag: 300 },
    });
    const env = { CRM_EVAL_CHILD: JSON.stringify({ warehouse: warehousePath, runId: 'crash-1', source: 'finance', entity: 'gl_entries', sources: { 'finance.gl_entries': source } }) };

    const first = runChild(env);
    // Kill it once a few pages are committed, while it is still reading.
    await killAtPage(first, 5);
    expect(await first.exited).toBeNull(); // killed by the signal
    expect(first.lines.some((l) => l.startsWith('DONE'))).toBe(false);

    const second = runChild(env);
    expect(await second.exited, second.lines.join('\n')).toBe(0);
    const resumed = second.lines.find((l) => l.includes('resuming after'));
    expect(resumed, second.lines.join('\n')).toMatch(/resuming after \d+ committed page\(s\), \d+000 rows/);
    const done = JSON.parse(second.lines.find((l) => l.startsWith('DONE'))!.slice(5)) as { rowsFetched: number; rowsLoaded: number };
    expect(done).toMatchObject({ rowsFetched: ROWS, rowsLoaded: ROWS });

    const warehouse = await Warehouse.open(warehousePath, { readOnly: true });
    try {
      const raw = await warehouse.one<{ rows: number; keys: number }>(`SELECT count(*)::BIGINT AS rows, count(DISTINCT entry_id)::BIGINT AS keys FROM raw.finance_gl_entries`);
      expect(raw).toEqual({ rows: ROWS, keys: ROWS });
      const log = await warehouse.all<{ status: string; rows_fetched: number }>(`SELECT status, rows_fetched FROM meta.load_log`);
      expect(log).toEqual([{ status: 'loaded', rows_fetched: ROWS }]);
    } finally {
      warehouse.close();
    }
  });
});
