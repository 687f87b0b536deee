/**
 * Every build shows exactly the snapshot it was given. Evidence keeps a cache of source results
 * (their parquet files and the hashes of the queries that made them) in its project folder;
 * building a second warehouse whose mart is empty used to show the first warehouse's rows.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { buildSite } from '../../reports/evidence/build-site.ts';
import { publishedPath } from '../../warehouse/publish.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { runPipeline } from '../../workflows/embedded/pipeline.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../fixtures/company.ts';
import { tempDir } from '../fixtures/csv.ts';
import { projectWithPages } from './project.ts';

const PAGE = "# Cost\n\n```sql cost\nselect 'cost rows: ' || count(*) as n from marts.cost_monthly\n```\n\n<Value data={cost} column=n/>\n";

let withCost: string;
let withoutCost: string;
beforeAll(async () => {
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  const run = await runPipeline({ dataDir: writeTinyCompany(), warehousePath, config: tinyCompanyConfig(), runId: 'two-builds' });
  expect(run.error).toBeUndefined();
  withCost = publishedPath(warehousePath);
  // the same company without finance data: its cost mart is empty
  withoutCost = join(tempDir(), 'crm-only.published.duckdb');
  copyFileSync(withCost, withoutCost);
  const warehouse = await Warehouse.open(withoutCost);
  await warehouse.run('DELETE FROM marts.cost_monthly');
  warehouse.close();
});

it('a second warehouse built in the same project shows its own (empty) mart, not the first one’s rows', async () => {
  const root = projectWithPages({ 'index.md': PAGE });
  const warehouse = await Warehouse.open(withCost, { readOnly: true });
  const { n } = await warehouse.one<{ n: number }>('SELECT count(*)::INT AS n FROM marts.cost_monthly');
  warehouse.close();
  expect(n).toBeGreaterThan(0);

  const first = await buildSite({ root, snapshot: withCost, out: join(root, 'site-a'), language: 'en' });
  expect(readFileSync(join(first.out, 'index.html'), 'utf8')).toContain(`cost rows: ${n}`);
  const second = await buildSite({ root, snapshot: withoutCost, out: join(root, 'site-b'), language: 'en' });
  const html = readFileSync(join(second.out, 'index.html'), 'utf8');
  expect(html).toContain('cost rows: 0');
  expect(html).not.toContain(`cost rows: ${n}`);
}, 600_000);
