/**
 * Marts are a function of the rows loaded, not of the order they sit in: the same delivery,
 * loaded once in file order and once with every raw table physically shuffled (as a warehouse
 * loaded over several runs, or rewritten by DuckDB, may hold it), builds the same marts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConfig } from '../../../config/load.ts';
import { entities } from '../../../sources/catalog.ts';
import { tableName } from '../../../sources/contract.ts';
import { generateCompany } from '../../../sources/reference-company/generate.ts';
import { createActivities } from '../../../workflows/activities.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { tempDir } from '../../fixtures/csv.ts';

// one PII salt for both warehouses (each would otherwise draw its own, and hash ids differently)
const config = parseConfig({ pii: { salt: 'the same salt for both' } });
/** Columns that say when or by which load a mart was built, not what the data says. */
const BOOKKEEPING = new Set(['load_id', 'loaded_at', 'timeliness_hours', 'freshness_hours']);

async function buildWarehouse(dataDir: string, shuffle: boolean): Promise<Warehouse> {
  const warehouse = await Warehouse.open(join(tempDir(), 'warehouse.duckdb'));
  const activities = createActivities({ config, withWarehouse: (work) => work(warehouse) });
  for (const { source, entity } of entities) await activities.extractEntity({ runId: 'order-test', dataDir, source, entity });
  if (shuffle) {
    await warehouse.run(`SELECT setseed(0.42)`);
    for (const contract of entities) {
      const table = `raw.${tableName(contract)}`;
      await warehouse.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${table} ORDER BY random()`);
    }
  }
  await activities.buildModels({ runId: 'order-test', layer: 'staging' });
  await activities.buildModels({ runId: 'order-test', layer: 'marts' });
  return warehouse;
}

async function martRows(warehouse: Warehouse, table: string): Promise<string[]> {
  const columns = (await warehouse.columns('marts', table)).filter((c) => !BOOKKEEPING.has(c));
  const rows = await warehouse.all(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM marts."${table}" ORDER BY ALL`);
  // Floating-point sums (avg, var_samp) may differ in their last bits with the order of their
  // terms, as they do between two runs of DuckDB's parallel aggregation: compare to 1e-9.
  // A tie broken by row order, or a fit that moved, differs far more.
  const round = (v: number) => Number(Number(v.toFixed(9)).toPrecision(10));
  return rows.map((r) => JSON.stringify(r, (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? round(v) : typeof v === 'bigint' ? String(v) : v)));
}

let inOrder: Warehouse;
let shuffled: Warehouse;
let tables: string[];
beforeAll(async () => {
  const dataDir = tempDir();
  await generateCompany({ outDir: dataDir, customers: 800, seed: 5 });
  inOrder = await buildWarehouse(dataDir, false);
  shuffled = await buildWarehouse(dataDir, true);
  tables = (await inOrder.all<{ table_name: string }>(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1`)).map((t) => t.table_name);
}, 300_000);

describe('the physical order of raw rows', () => {
  it('changes no mart', async () => {
    expect(tables.length).toBeGreaterThan(20);
    const differing: string[] = [];
    for (const table of tables) {
      const [a, b] = [await martRows(inOrder, table), await martRows(shuffled, table)];
      const onlyA = a.filter((row) => !b.includes(row));
      if (a.length !== b.length || onlyA.length > 0) differing.push(`${table}: ${onlyA.length} of ${a.length} rows differ, e.g. ${onlyA[0]?.slice(0, 300)}`);
    }
    expect(differing).toEqual([]);
  });
});
