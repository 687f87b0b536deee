/**
 * `npm run bench:database`: general-ledger lines from PostgreSQL (a scratch database on the
 * machine's server, dropped at the end) through the database connector into a fresh warehouse,
 * at 100k and 1M lines. Prints rows/s and peak memory per size; asserts nothing. Memory should
 * stay flat while fetching, whatever the size: one chunk (10,000 rows) is in memory at a time.
 *
 *   npm run bench:database                    # 100k and 1M lines
 *   npm run bench:database -- --rows 100k     # one size
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { sql } from 'kysely';
import { parseScale } from '../../sources/reference-company/generate.ts';
import { tempDir } from '../fixtures/csv.ts';
import { createErpTables } from '../sources/connectors/database/erp.ts';
import { createScratch, unreachable } from '../sources/connectors/database/servers.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100k,1M' }, 'chunk-rows': { type: 'string', default: '10000' } } });
const why = await unreachable('postgres');
if (why) {
  console.error(`bench:database needs PostgreSQL: ${why}`);
  process.exit(1);
}

const table = new Table({
  head: ['GL lines', 'seed s', 'fetch s', 'fetch rows/s', 'load s', 'total rows/s', 'peak MB while fetching (RSS / JS heap)', 'peak MB (process, incl. the DuckDB load)'],
  colAligns: ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  style: { head: [], border: [] },
});
const scratch = await createScratch('postgres');
try {
  const tables = await createErpTables(scratch.db, 'postgres');
  for (const size of values.rows.split(',')) {
    const rows = parseScale(size);
    const name = `ledger.gl_${randomBytes(3).toString('hex')}`;
    const seeding = Date.now();
    await sql`CREATE TABLE ${sql.table(name)} (LIKE ${sql.table(tables.gl)} INCLUDING ALL)`.execute(scratch.db);
    await sql`INSERT INTO ${sql.table(name)} (id, posting_date, account, cost_center, amount, cost_nature, cost_behavior, project, description, updated_at)
      SELECT 'GL' || lpad(i::text, 9, '0'), date '2021-07-01' + (i % 1400), (6601 + i % 9)::text,
             (ARRAY['customer_service','marketing','sales','crm_program','it'])[1 + i % 5], round((i % 100000) / 7.0, 2),
             CASE WHEN i % 3 = 0 THEN 'indirect' ELSE 'direct' END, CASE WHEN i % 4 = 0 THEN 'variable' ELSE 'fixed' END,
             CASE WHEN i % 10 = 0 THEN 'crm' END, 'ledger line ' || i, timestamptz '2026-01-01 00:00:00+00' + i * interval '1 millisecond'
      FROM generate_series(1, ${sql.lit(rows)}) AS s(i)`.execute(scratch.db);
    await sql`ANALYZE ${sql.table(name)}`.execute(scratch.db);
    const seedSeconds = (Date.now() - seeding) / 1000;

    const dir = tempDir('crm-eval-bench-db-');
    const source = scratch.source({ table: name, columns: { entry_id: 'id', posted_on: 'posting_date' }, chunk_rows: Number(values['chunk-rows']), incremental: { updated_at: 'updated_at', key: 'id', safety_lag: 300 } });
    console.error(`extracting ${rows.toLocaleString('en-US')} GL lines from PostgreSQL ...`);
    const out = execFileSync(process.execPath, ['bin/run-ts.js', 'test/bench/connector-extract.ts'], {
      env: { ...process.env, TSX_DISABLE_CACHE: '1', CRM_EVAL_BENCH: JSON.stringify({ warehouse: join(dir, 'warehouse.duckdb'), entity: 'finance.gl_entries', source }) },
      encoding: 'utf8',
      maxBuffer: 16 * 2 ** 20,
    });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { rows: number; loaded: number; fetchSeconds: number; loadSeconds: number; totalSeconds: number; fetchPeakMb: number; fetchHeapPeakMb: number; processPeakMb: number };
    if (r.rows !== rows || r.loaded !== rows) console.error(`warning: ${rows} rows in the table, ${r.rows} fetched, ${r.loaded} loaded`);
    const f = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
    table.push([rows.toLocaleString('en-US'), f(seedSeconds), f(r.fetchSeconds), f(rows / r.fetchSeconds, 0), f(r.loadSeconds), f(rows / r.totalSeconds, 0), `${f(r.fetchPeakMb, 0)} / ${f(r.fetchHeapPeakMb, 0)}`, f(r.processPeakMb, 0)]);
    rmSync(dir, { recursive: true, force: true });
    await sql`DROP TABLE ${sql.table(name)}`.execute(scratch.db);
  }
} finally {
  await scratch.drop();
}
console.log(table.toString());
