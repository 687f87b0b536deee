/**
 * End to end: the report site built from the reference company, opened page by page in a
 * headless browser with nothing but localhost to talk to. Every chart and table must render
 * with data and no error, a filter must change the numbers, and no request may leave the
 * local server. Screenshots land in test-artifacts/reports/ for a person to look at.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.ts';
import { buildSite, type SiteBuilt } from '../../reports/evidence/build-site.ts';
import { serveSite, type Served } from '../../reports/evidence/serve.ts';
import { generateCompany } from '../../sources/reference-company/generate.ts';
import { publishedPath } from '../../warehouse/publish.ts';
import { runPipeline } from '../../workflows/embedded/pipeline.ts';
import { tempDir } from '../fixtures/csv.ts';
import { externalRequests, launchBrowser, recordedPage } from './browser.ts';

const ARTIFACTS = 'test-artifacts/reports';
const CHART = /<(LineChart|BarChart|AreaChart|Heatmap|Histogram|ScatterPlot|BubbleChart|FunnelChart)\b/g;

/** reports/satisfaction.md → /satisfaction; index.md → / */
const pages = readdirSync('reports')
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .map((file) => ({ file, path: file === 'index.md' ? '/' : `/${file.replace(/\.md$/, '')}` }));

/** Charts a page declares outside a collapsed <Details> block. */
function declaredCharts(file: string): number {
  const markdown = readFileSync(join('reports', file), 'utf8').replace(/<Details[\s\S]*?<\/Details>/g, '');
  return [...markdown.matchAll(CHART)].length;
}

let site: SiteBuilt;
let served: Served;
let browser: Browser;

beforeAll(async () => {
  const dir = tempDir('crm-eval-site-');
  await generateCompany({ outDir: join(dir, 'data'), customers: 5000, seed: 42 });
  const warehousePath = join(dir, 'warehouse.duckdb');
  const run = await runPipeline({ dataDir: join(dir, 'data'), warehousePath, config: parseConfig({}), runId: 'site-test' });
  expect(run.status).toBe('succeeded');
  site = await buildSite({
    snapshot: publishedPath(warehousePath),
    out: join(dir, 'build'),
    language: 'en',
    projectDir: join('.evidence', `test-site-${process.pid}`),
  });
  served = await serveSite(site.out);
  browser = await launchBrowser();
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  rmSync(join('.evidence', `test-site-${process.pid}`), { recursive: true, force: true });
});

describe('the report site', () => {
  it('has every page of reports/ and the marts as data files', () => {
    expect(site.pages.sort()).toEqual(pages.map((p) => p.file).sort());
    expect(site.tables).toContain('case_study');
    expect(site.tables).not.toContain('kpi_observations');
  });

  it.each(pages)('$file renders every chart and table with data, offline', async ({ file, path }) => {
    const recorded = await recordedPage(browser);
    const { page } = recorded;
    await page.goto(`${served.url}${path}`, { waitUntil: 'networkidle' });
    await page.waitForTimeout(1_000);
    await page.screenshot({ path: join(ARTIFACTS, `${file.replace(/\.md$/, '')}.png`), fullPage: true });

    const text = await page.locator('article').innerText();
    expect(text, 'an error box on the page').not.toMatch(/\bError\b|Dataset is empty|No Results/);

    const charts = page.locator('article [_echarts_instance_]');
    expect(await charts.count()).toBe(declaredCharts(file));
    for (const chart of await charts.all()) {
      const box = await chart.boundingBox();
      expect(box?.height ?? 0).toBeGreaterThan(100);
      expect(await chart.locator('canvas, svg').count()).toBeGreaterThan(0);
    }

    // Evidence's DataTable draws its rows without a tbody, and keeps a hidden copy for printing.
    const tables = await page.locator('article table:visible').all();
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) expect(await table.locator('xpath=.//tr[not(ancestor::thead)]').count()).toBeGreaterThan(0);

    expect(externalRequests(recorded.requests, served.url)).toEqual([]);
    // The one tolerated miss: a mart with no rows has no parquet file, only its schema (the
    // patched loader then creates it empty); anything else missing is a broken site.
    expect(recorded.failures.filter((f) => !/\/data\/.+\.parquet$/.test(f.url))).toEqual([]);
    await page.close();
  });

  it('a filter changes the numbers, computed in the browser', async () => {
    const recorded = await recordedPage(browser);
    const { page } = recorded;
    await page.goto(`${served.url}/satisfaction`, { waitUntil: 'networkidle' });
    const crossTable = page.locator('article table:visible').first();
    await expect.poll(() => crossTable.innerText(), { timeout: 20_000 }).toMatch(/\ball\b/);
    const before = await crossTable.innerText();

    await page.getByRole('combobox', { name: 'Breakdown' }).click();
    await page.getByRole('option', { name: 'Channel' }).click();
    await expect.poll(() => crossTable.innerText(), { timeout: 20_000 }).toMatch(/\bphone\b/);
    const after = await crossTable.innerText();
    expect(after).not.toEqual(before);
    expect(after).toMatch(/\bemail\b/);
    await page.screenshot({ path: join(ARTIFACTS, 'satisfaction-by-channel.png'), fullPage: true });
    expect(externalRequests(recorded.requests, served.url)).toEqual([]);
    await page.close();
  });
});
