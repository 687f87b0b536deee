/**
 * The end-to-end check of issue #2: the reference company through the whole pipeline. Exactly
 * the rows the generator planted as defects are quarantined, every load reconciles, and the
 * re-delivered customers are deduplicated to their later version.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConfig } from '../../../config/load.ts';
import { generateCompany, type Manifest } from '../../../sources/reference-company/generate.ts';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import type { RunResult } from '../../../workflows/embedded/runner.ts';
import type { ExtractOutput } from '../../../workflows/activities.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { tempDir } from '../../fixtures/csv.ts';

let manifest: Manifest;
let result: RunResult;
let warehouse: Warehouse;

beforeAll(async () => {
  const dataDir = tempDir();
  manifest = await generateCompany({ outDir: dataDir, customers: 800, seed: 3 });
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  result = await runPipeline({ dataDir, warehousePath, config: parseConfig({}), runId: 'run-ref' });
  warehouse = await Warehouse.open(warehousePath, { readOnly: true });
});

describe('the reference company through the pipeline', () => {
  it('succeeds, and every entity reconciles with the rows the generator wrote', () => {
    expect(result.error).toBeUndefined();
    for (const o of result.outcomes.filter((x) => x.step.kind === 'extract')) {
      const e = o.output as ExtractOutput;
      expect(e.rowsRead, `${e.source}.${e.entity}`).toBe(manifest.rows[`${e.source}.${e.entity}`]);
      expect(e.rowsRead).toBe(e.rowsLoaded + e.rowsQuarantined);
    }
  });

  it('quarantines exactly the planted defects, on their lines and fields', async () => {
    const quarantined: Array<{ entity: string; line: number; field: string }> = [];
    for (const source of ['crm', 'finance', 'hr']) {
      // <entity>_fields tables hold values emptied in loaded rows, not quarantined rows
      const tables = await warehouse.all<{ table_name: string }>(
        `SELECT table_name FROM duckdb_tables() WHERE schema_name = 'quarantine' AND table_name LIKE '${source}_%' AND NOT suffix(table_name, '_fields')`,
      );
      for (const { table_name } of tables) {
        const entity = `${source}.${table_name.slice(source.length + 1)}`;
        const found = await warehouse.all<{ line: number; field: string }>(`SELECT source_row AS line, field FROM quarantine.${table_name}`);
        quarantined.push(...found.map((f) => ({ entity, ...f })));
      }
    }
    const sort = (xs: Array<{ entity: string; line: number; field: string }>) => [...xs].sort((a, b) => `${a.entity}${a.line}`.localeCompare(`${b.entity}${b.line}`));
    expect(sort(quarantined)).toEqual(sort(manifest.defects.map((d) => ({ entity: d.entity, line: d.line, field: d.field }))));
  });

  it('empties no optional field: every planted defect costs its row, and the clean rows pass every check', async () => {
    const tables = await warehouse.all<{ table_name: string }>(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'quarantine' AND suffix(table_name, '_fields')`);
    expect(tables.length).toBe(result.outcomes.filter((o) => o.step.kind === 'extract').length);
    const emptied = await warehouse.all(tables.map((t) => `SELECT '${t.table_name}' AS t, field, reason FROM quarantine.${t.table_name}`).join(' UNION ALL '));
    expect(emptied).toEqual([]);
  });

  it('keeps the later version of each re-delivered customer', async () => {
    const [{ n }] = await warehouse.all<{ n: number }>(`SELECT count(*)::INT AS n FROM staging.customers`);
    expect(n).toBe(manifest.customers);
    for (const d of manifest.duplicates) {
      const segment = /→ (\w+)/.exec(d.note)![1];
      expect(await warehouse.all(`SELECT segment FROM staging.customers WHERE customer_id = '${d.id}'`)).toEqual([{ segment }]);
    }
  });
});
