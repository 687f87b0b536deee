/**
 * A company with only CRM data (sources_provided: [crm]) gets a site an executive can trust:
 * the Cost and People pages say plainly that finance and HR data are not provided, instead of
 * empty charts, a 1970 period filter or charts that never finish loading; the summary says the
 * investment cannot be judged. The real pages, built for the tiny company delivered without
 * its finance/ and hr/ folders, opened in a headless browser.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, type SiteBuilt } from '../../reports/evidence/build-site.ts';
import { serveSite, type Served } from '../../reports/evidence/serve.ts';
import { publishedPath } from '../../warehouse/publish.ts';
import { runPipeline } from '../../workflows/embedded/pipeline.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../fixtures/company.ts';
import { tempDir } from '../fixtures/csv.ts';
import { launchBrowser, recordedPage } from './browser.ts';
import { projectWithPages } from './project.ts';

const PAGES = ['index.md', 'cost.md', 'people.md', 'efficiency.md', 'data-quality.md'];
const page = (file: string) => readFileSync(join('reports', file), 'utf8');

let site: SiteBuilt;
let served: Served;
let browser: Browser;

beforeAll(async () => {
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  const config = tinyCompanyConfig({ sources_provided: ['crm'] });
  const run = await runPipeline({ dataDir: writeTinyCompany({}, { sources: ['crm'] }), warehousePath, config, runId: 'crm-only-site' });
  expect(run.error).toBeUndefined();
  const root = projectWithPages(Object.fromEntries(PAGES.map((file) => [file, page(file)])));
  site = await buildSite({ root, snapshot: publishedPath(warehousePath), out: join(root, 'site'), language: 'en' });
  served = await serveSite(site.out);
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

/** The page's text once its queries have run in the browser, with its console errors. */
async function open(path: string) {
  const recorded = await recordedPage(browser);
  await recorded.page.goto(`${served.url}${path}`, { waitUntil: 'networkidle' });
  await recorded.page.waitForTimeout(1_000);
  const text = await recorded.page.locator('article').innerText();
  const charts = await recorded.page.locator('article [_echarts_instance_]').count();
  // Evidence's grey placeholder of a chart still waiting for its data
  const loading = await recorded.page.locator('article .animate-pulse').count();
  await recorded.page.close();
  // No request may fail: a mart with no rows (most of them here) has no parquet file, and the
  // site must not ask for one (issue 12); the browser would log each 404 as a console error.
  return { text, charts, loading, consoleErrors: recorded.consoleErrors, missing: recorded.failures };
}

describe('the site of a CRM-only company', () => {
  it('lists its empty marts by their schema in the data manifest, so no page asks for a parquet file that does not exist', () => {
    const { renderedFiles } = JSON.parse(readFileSync(join(site.out, 'data', 'manifest.json'), 'utf8')) as { renderedFiles: Record<string, string[]> };
    const urls = Object.values(renderedFiles).flat();
    const onDisk = (url: string) => existsSync(join(site.out, 'data', url.replace(/^\/?(static\/)?data\//, '')));
    expect(urls.filter((url) => !onDisk(url))).toEqual([]);
    // the finance mart is empty for this company: listed by its schema, not by a parquet
    expect(renderedFiles.marts).toContain('static/data/marts/cost_monthly/cost_monthly.schema.json');
  });

  it('Cost says finance data is not provided: no period filter from 1970, no cost charts, no NPV', async () => {
    const cost = await open('/cost');
    expect(cost.text).toContain('Not provided: this company delivers no finance data');
    expect(cost.text).not.toMatch(/1970/);
    expect(cost.text).not.toMatch(/No Records|Dataset is empty|\bError\b/);
    expect(cost.charts).toBe(0);
    expect(cost.loading).toBe(0);
    // the verdict table stays, saying why
    expect(cost.text).toContain('not measurable: no finance data (sources_provided)');
    expect(cost.consoleErrors).toEqual([]);
    expect(cost.missing).toEqual([]);
  });

  it('People says HR data is not provided: no team or period filter, no placeholders that never load', async () => {
    const people = await open('/people');
    expect(people.text).toContain('Not provided: this company delivers no HR data');
    expect(people.text).not.toMatch(/1970/);
    expect(people.text).not.toMatch(/No Records|Dataset is empty|\bError\b/);
    expect(people.charts).toBe(0);
    expect(people.loading).toBe(0);
    expect(people.consoleErrors).toEqual([]);
    expect(people.missing).toEqual([]);
  });

  it('the summary says the investment cannot be judged, with no ROI or NPV figure', async () => {
    const summary = await open('/');
    expect(summary.text).toContain('Not provided: this company delivers no finance data, so the CRM costs are unknown');
    // no ROI or NPV tile (its title on a line of its own) to show a dash or a number
    expect(summary.text).not.toMatch(/^(ROI|NPV)$/m);
    // the tiny company's two months are too short for the CRM index and the case study, with
    // finance and HR data or without: those charts are empty either way, nothing else may fail
    expect(summary.consoleErrors.filter((e) => !/Dataset is empty/.test(e))).toEqual([]);
    expect(summary.missing).toEqual([]);
  });

  it('Efficiency says why productivity from timesheets is empty', async () => {
    const efficiency = await open('/efficiency');
    expect(efficiency.text).toContain('Not provided: this company delivers no HR data, so tickets per agent day and occupancy');
    expect(efficiency.consoleErrors.filter((e) => !/Dataset is empty/.test(e))).toEqual([]);
    expect(efficiency.missing).toEqual([]);
  });

  it('Data quality lists finance and HR as not provided, not as entities that loaded 0 rows', async () => {
    const quality = await open('/data-quality');
    expect(quality.text).toContain('Not provided: the company does not deliver these sources');
    expect(quality.text).toMatch(/finance\s+budgets, gl_entries/);
    // the entity table holds only delivered entities
    expect(quality.text).not.toMatch(/finance\.gl_entries|hr\.timesheets/);
    // a clean company has no field-level issues: that table is empty, which Evidence logs
    expect(quality.consoleErrors.filter((e) => !/Dataset is empty/.test(e))).toEqual([]);
    expect(quality.missing).toEqual([]);
  });
});
