/**
 * `crm-eval reports check`: the SQL of the pages against the published snapshot, no build. It
 * must see what the site sees (labels, filters at their opening values, one query inside
 * another, only the marts the site carries) and name page, query and DuckDB's message.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPages } from '../../reports/evidence/check-pages.ts';
import { publishedPath } from '../../warehouse/publish.ts';
import { runPipeline } from '../../workflows/embedded/pipeline.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../fixtures/company.ts';
import { tempDir } from '../fixtures/csv.ts';
import { projectWithPages } from './project.ts';

const GOOD = `# Good

\`\`\`sql cuts
select distinct cut from marts.satisfaction_monthly order by cut = 'all' desc
\`\`\`

\`\`\`sql months
select distinct month from marts.satisfaction_monthly order by month
\`\`\`

<Dropdown data={cuts} name=cut value=cut/>
<DateRange data={months} dates=month name=period/>

\`\`\`sql trend
select month, csat, '{{common.small_sample}}' as flag from marts.satisfaction_monthly
where cut = '\${inputs.cut.value}' and month between '\${inputs.period.start}' and '\${inputs.period.end}'
\`\`\`

\`\`\`sql latest
select * from \${trend} order by month desc limit 1
\`\`\`

\`\`\`sql kpi_names
select d.kpi, l.label from marts.kpi_definitions d left join labels.labels l on l.key = 'kpi.' || d.kpi
\`\`\`
`;

const BROKEN = `# Broken

\`\`\`sql churn_by_region
select region, churn from marts.loyalty_monthly
\`\`\`

\`\`\`sql fine
select count(*) as n from marts.kpi_definitions
\`\`\`

\`\`\`sql unit_level
select count(*) as n from marts.kpi_observations
\`\`\`

\`\`\`sql unknown_input
select * from marts.kpi_definitions where kpi = '\${inputs.nope.value}'
\`\`\`
`;

let snapshot: string;
let root: string;

beforeAll(async () => {
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  const run = await runPipeline({ dataDir: writeTinyCompany(), warehousePath, config: tinyCompanyConfig(), runId: 'check' });
  expect(run.error).toBeUndefined();
  snapshot = publishedPath(warehousePath);
  root = projectWithPages({ 'good.md': GOOD, 'broken.md': BROKEN });
});

describe('reports check', () => {
  it('runs every query of a page as the site would: labels, filters at their opening value, a query inside another', async () => {
    const results = await checkPages({ root, snapshot, language: 'en', pages: ['good'] });
    expect(results.map((r) => [r.page, r.query, r.error])).toEqual([
      ['reports/good.md', 'cuts', undefined],
      ['reports/good.md', 'months', undefined],
      ['reports/good.md', 'trend', undefined],
      ['reports/good.md', 'latest', undefined],
      ['reports/good.md', 'kpi_names', undefined],
    ]);
    const rows = Object.fromEntries(results.map((r) => [r.query, r.rows]));
    // the tiny company's months, for the cut "all" the dropdown opens on, all of them in the range
    expect(rows.trend).toBe(rows.months);
    expect(rows.trend).toBeGreaterThan(0);
    expect(rows.latest).toBe(1);
  });

  it('names page, query and DuckDB’s message for each failure; a unit-level mart is not in the site', async () => {
    const results = await checkPages({ root, snapshot, language: 'en', pages: ['reports/broken.md'] });
    const byQuery = Object.fromEntries(results.map((r) => [r.query, r]));
    expect(byQuery.churn_by_region).toMatchObject({ page: 'reports/broken.md', error: expect.stringMatching(/Binder Error: .*"region" not found/) });
    expect(byQuery.fine!.error).toBeUndefined();
    expect(byQuery.fine!.rows).toBe(1);
    expect(byQuery.unit_level!.error).toMatch(/kpi_observations does not exist/);
    expect(byQuery.unknown_input!.error).toMatch(/input nope is not defined on the page/);
  });

  it('without a published snapshot says what to run first', async () => {
    await expect(checkPages({ root, snapshot: join(tempDir(), 'none.published.duckdb'), language: 'en' })).rejects.toThrow(/no published snapshot at .*: run the pipeline first/);
  });

  it('refuses a page that does not exist, listing the pages', async () => {
    await expect(checkPages({ root, snapshot, language: 'en', pages: ['nope'] })).rejects.toThrow(/no report page nope: the pages are reports\/broken\.md, reports\/good\.md/);
  });

  it('the CLI prints one line per query and exits 1 on any error, 0 when every query runs', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [resolve('bin/crm-eval.js'), 'reports', 'check', '--warehouse', snapshot.replace(/\.published\.duckdb$/, '.duckdb'), ...args], {
        cwd: root,
        encoding: 'utf8',
      });
    const failing = cli();
    expect(failing.status, failing.stderr).toBe(1);
    expect(failing.stdout).toMatch(/^ERROR {2}reports\/broken\.md {2}query "churn_by_region": Binder Error: .*"region" not found/m);
    expect(failing.stdout).toMatch(/^ok {5}reports\/good\.md {2}latest {2}\(1 rows\)$/m);
    expect(failing.stdout).toMatch(/^9 queries on 2 pages, 3 failed/m);

    const passing = cli('good.md');
    expect(passing.status, passing.stderr).toBe(0);
    expect(passing.stdout).toMatch(/^5 queries on 1 pages, 0 failed/m);
    // two CLI starts (tsx compiles the CLI each time): slow on a busy machine
  }, 300_000);
});
