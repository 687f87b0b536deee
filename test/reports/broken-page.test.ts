/**
 * An analyst's page with broken SQL, or a chart naming a column its query lacks, must stop the
 * build and say which page, never publish a site with an error box in it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { buildSite, ReportQueryError } from '../../reports/evidence/build-site.ts';
import { publishedPath } from '../../warehouse/publish.ts';
import { runPipeline } from '../../workflows/embedded/pipeline.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../fixtures/company.ts';
import { tempDir } from '../fixtures/csv.ts';
import { projectWithPages } from './project.ts';

let snapshot: string;

beforeAll(async () => {
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  await runPipeline({ dataDir: writeTinyCompany(), warehousePath, config: tinyCompanyConfig(), runId: 'broken' });
  snapshot = publishedPath(warehousePath);
});

const FINE = '# Fine\n\n```sql rows\nselect count(*) as n from marts.kpi_definitions\n```\n\n<Value data={rows} column=n/>\n';

it('a page with broken SQL fails the build, naming the page and the query', async () => {
  const root = projectWithPages({
    'index.md': FINE,
    'my-analysis.md': '# Mine\n\n```sql churn_by_region\nselect region, churn from marts.loyalty_monthly\n```\n\n<DataTable data={churn_by_region}/>\n',
  });
  const out = join(root, 'build');
  const failure = await buildSite({ root, snapshot, out, language: 'en' }).catch((e: unknown) => e);

  expect(failure).toBeInstanceOf(ReportQueryError);
  const error = failure as ReportQueryError;
  expect(error.failures).toEqual([{ pages: ['reports/my-analysis.md'], query: 'churn_by_region', error: expect.stringMatching(/"region" not found/) }]);
  expect(error.message).toContain('reports/my-analysis.md: query "churn_by_region"');
  expect(existsSync(out)).toBe(false);
}, 600_000);

it('a chart naming a column its query lacks fails the build, naming the page', async () => {
  const root = projectWithPages({
    'index.md': FINE,
    'charts.md': "# Mine\n\n```sql kpis\nselect kpi, label from marts.kpi_definitions\n```\n\n<BarChart data={kpis} x=kpi y=nope/>\n",
  });
  await expect(buildSite({ root, snapshot, out: join(root, 'build'), language: 'en' })).rejects.toThrow(
    /report components failed:\n {2}reports\/charts\.md: Bar Chart: 'nope' is not a column in the dataset/,
  );
}, 600_000);
