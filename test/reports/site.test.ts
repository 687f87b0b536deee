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
import { chartDrawings, externalRequests, launchBrowser, recordChartDrawing, recordedPage } from './browser.ts';

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

  describe('every number carries its unit', () => {
    /** The page's article text and what its charts drew, once rendered. */
    async function open(path: string) {
      const recorded = await recordedPage(browser);
      await recordChartDrawing(recorded.page);
      await recorded.page.goto(`${served.url}${path}`, { waitUntil: 'networkidle' });
      await recorded.page.waitForTimeout(1_000);
      const text = await recorded.page.locator('article').innerText();
      return { page: recorded.page, text, charts: await chartDrawings(recorded.page) };
    }
    const chart = (charts: Array<{ texts: string[]; arcs: number }>, title: string) => {
      const found = charts.find((c) => c.texts.includes(title));
      expect(found, `a chart titled ${title}`).toBeDefined();
      return found!;
    };

    it('executive summary: rates in %, p-values never 0.000, NPV in the configured currency', async () => {
      const { page, text, charts } = await open('/');
      // before/after of a share in % (was 0.58 → 0.77), the complaint rate per 1,000 customers
      expect(text).toMatch(/CSAT \(top-2-box\)\t\d{2}\.\d%\t\d{2}\.\d%\t/);
      expect(text).toMatch(/Complaints per 1,000 customers\t\d+\.\d\t\d+\.\d\t/);
      expect(text).toContain('< 0.001');
      expect(text).not.toMatch(/\t0\.000\t/);
      // NPV: the configuration's currency (CNY by default) in the title and the value
      expect(text).toMatch(/NPV \(CNY\)\n+¥\d{1,3}(,\d{3})+/);
      expect(text).toMatch(/NPV turns negative: -?\d{1,3}(,\d{3})* CNY\./);
      // pillar scores are 0-100: the axis stops at 100
      expect(chart(charts, 'Pillar scores (0-100)').texts).not.toContain('120');
      await page.close();
    });

    it('case study: an interrupted-time-series change in the unit of its KPI, one decimal', async () => {
      const { page, text, charts } = await open('/case-study');
      expect(text).toMatch(/CSAT \(top-2-box\)\tInterrupted time series\t\d{2}\.\d%\t\d{2}\.\d%\t[+-]\d+\.\d pp\t[+-]\d+\.\d … [+-]\d+\.\d pp\t/);
      expect(text).toMatch(/Resolution time \(h\)\tInterrupted time series\t[\d.]+\t[\d.]+\t[+-]\d+\.\d h\t/);
      expect(text).toMatch(/Complaints per 1,000 customers\tInterrupted time series\t[\d.]+\t[\d.]+\t[+-]\d+\.\d per 1,000\t/);
      expect(text).not.toMatch(/\t0\.000\t/);
      // the KPI in detail (CSAT by default): a share axis in %, up to 100%, with its legend
      const detail = chart(charts, 'Monthly value and the segmented-regression fit');
      expect(detail.texts).toEqual(expect.arrayContaining(['100%', 'Monthly value', 'Segmented regression']));
      expect(detail.texts).not.toContain('120%');
      await page.close();
    });

    it('satisfaction: the complaint rate is per 1,000 customers, not 1,460.56 %', async () => {
      const { page, text, charts } = await open('/satisfaction');
      expect(text).toContain('Complaints per 1,000 customers');
      expect(text).not.toMatch(/\d,\d{3}\.\d{2}%/);
      expect(chart(charts, 'CSAT').texts).toContain('100%');
      expect(chart(charts, 'CSAT').texts).not.toContain('120%');
      await page.close();
    });

    it('efficiency: share axes stop at 100%', async () => {
      const { page, charts } = await open('/efficiency');
      for (const title of ['First contact resolution', 'SLA first response']) {
        expect(chart(charts, title).texts).toContain('100%');
        expect(chart(charts, title).texts).not.toContain('120%');
      }
      // the wait chart names its parts as labelled (not “Customer Wait (H)”)
      expect(chart(charts, 'Customer wait vs internal time (mean hours per ticket)').texts).toEqual(expect.arrayContaining(['Customer wait (h)', 'Internal (h)']));
      await page.close();
    });

    it('cost: money in the currency, readable labels instead of codes', async () => {
      const { page, text, charts } = await open('/cost');
      expect(text).toMatch(/Cost per ticket \(CNY\)/);
      expect(text).toMatch(/Payback \(months\)\t[\d.]+\tmonths/);
      expect(text).toMatch(/NPV\t¥\d{1,3}(,\d{3})+\tCNY/);
      for (const code of ['payback_months', 'total_investment', 'customer_service', 'crm_program', 'benefit_-20%']) expect(text).not.toContain(code);
      const legends = chart(charts, 'Acquisition vs retention cost per customer').texts;
      expect(legends).toEqual(expect.arrayContaining(['CAC', 'Retention cost']));
      expect(legends).not.toContain('Cac');
      const flows = chart(charts, 'CRM cash flows by month').texts;
      expect(flows).toContain('CRM cost');
      expect(flows).not.toContain('Crm Cost');
      await page.close();
    });

    it('loyalty: RFM segments by name, each cohort with its size', async () => {
      const { page, text, charts } = await open('/loyalty');
      expect(text).not.toMatch(/needs_attention|potential_loyalist|at_risk/);
      expect(text).toContain('Needs attention');
      expect(text).toMatch(/Customer lifetime value \(CNY\)/);
      // each heat-map row: the first-purchase month and, in brackets, how many customers it has
      expect(chart(charts, 'Cohort retention').texts.some((t) => /^\d{4}-\d{2} \(\d[\d,]*\)$/.test(t))).toBe(true);
      await page.close();
    });

    it('people: engagement and eNPS charts draw their survey months', async () => {
      const { page, text, charts } = await open('/people');
      for (const title of ['Engagement satisfaction', 'eNPS']) expect(chart(charts, title).arcs, `${title}: markers drawn`).toBeGreaterThan(3);
      expect(text).toMatch(/CSAT \(top-2-box\)\t\d+\t\d+\.\d%\t\d+\.\d%\t[+-]\d+\.\d pp/);
      await page.close();
    });

    it('a chart keeps its legend after the breakdown switches from one series to several', async () => {
      const { page } = await open('/satisfaction');
      await page.getByRole('combobox', { name: 'Breakdown' }).click();
      await page.getByRole('option', { name: 'Channel' }).click();
      await expect.poll(async () => chart(await chartDrawings(page), 'CSAT').texts, { timeout: 20_000 }).toEqual(expect.arrayContaining(['chat', 'email', 'phone']));
      await page.close();
    });
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
