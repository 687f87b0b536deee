/**
 * End to end, the done-when test of the report site: the reference company's site, then a
 * CRM-only company (its own data, another seed, without finance/ and hr/) built into the same
 * site folder with the same Evidence project while one `reports serve` keeps serving it.
 *
 * The reference site, page by page in a headless browser with nothing but localhost to talk
 * to: every chart and table renders with data and no error, every number carries its unit, a
 * filter changes the numbers. Screenshots land in test-artifacts/reports/ (the CRM-only build in
 * its crm-only/ folder) for a person to look at.
 *
 * Both builds, on every page the built site has (not a list kept here): no figure of the other
 * build, no “0 months” or ±100 artefacts, no unformatted number, projected and partial periods
 * labelled, no console error, no failed request and none off localhost; the CRM-only pages say
 * what is not provided. Evidence keeps a cache of source results in its project folder; a
 * second warehouse whose mart is empty used to show the first warehouse's rows.
 *
 * One file, so that the reference site is built once: a site build is the costliest step of
 * the test suite.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.ts';
import { buildSite, type SiteBuilt } from '../../reports/evidence/build-site.ts';
import { serveSite, type Served } from '../../reports/evidence/serve.ts';
import { generateCompany } from '../../sources/reference-company/generate.ts';
import { REFERENCE_ROLLOUT, REFERENCE_SCALES } from '../../sources/reference-company/rollout.ts';
import { publishedPath } from '../../warehouse/publish.ts';
import { runPipeline } from '../../workflows/embedded/pipeline.ts';
import { tempDir } from '../fixtures/csv.ts';
import { builtRoutes, chartDrawings, externalRequests, launchBrowser, recordChartDrawing, recordedPage, seePage, type PageSeen } from './browser.ts';

const ARTIFACTS = 'test-artifacts/reports';
const CHART = /<(LineChart|BarChart|AreaChart|Heatmap|Histogram|ScatterPlot|BubbleChart|FunnelChart)\b/g;

/** reports/satisfaction.md → /satisfaction; index.md → / */
const pages = readdirSync('reports')
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .map((file) => ({ file, path: file === 'index.md' ? '/' : `/${file.replace(/\.md$/, '')}` }));

/**
 * The kinds of chart a page declares outside a collapsed <Details> block, in page order; of an
 * {#if} … {:else} … {/if} block the branch with the most (the other is the page without that
 * data: without finance data, without rollout waves).
 */
function declaredCharts(file: string): string[] {
  let markdown = readFileSync(join('reports', file), 'utf8').replace(/<Details[\s\S]*?<\/Details>/g, '');
  const innermostIf = /\{#if [^}]*\}((?:(?!\{#if )[\s\S])*?)\{\/if\}/;
  for (let block = innermostIf.exec(markdown); block; block = innermostIf.exec(markdown)) {
    const branches = block[1]!.split(/\{:else[^}]*\}/);
    const kept = branches.reduce((most, b) => ([...b.matchAll(CHART)].length > [...most.matchAll(CHART)].length ? b : most));
    markdown = markdown.replace(block[0], kept);
  }
  return [...markdown.matchAll(CHART)].map((m) => m[1]!);
}

const projectDir = join('.evidence', `test-site-${process.pid}`);
let out: string;
let crmOnlyWarehouse: string;
let site: SiteBuilt;
let served: Served;
let browser: Browser;
const builds: Record<'reference' | 'crmOnly', { site: SiteBuilt; pages: PageSeen[] }> = {} as never;

/** Every page of the site now served; with `screenshots`, each page saved there as <route>.png. */
async function seeEveryPage(screenshots?: string): Promise<PageSeen[]> {
  if (screenshots) mkdirSync(screenshots, { recursive: true });
  const seen: PageSeen[] = [];
  for (const path of builtRoutes(out)) {
    const file = screenshots && join(screenshots, `${path.replace(/^\/|\/$/g, '').replace(/\//g, '-') || 'index'}.png`);
    seen.push(await seePage(browser, served.url, path, file));
  }
  return seen;
}

/** A page of the site now served: its article text and what its charts drew, once rendered. */
async function open(path: string) {
  const recorded = await recordedPage(browser);
  await recordChartDrawing(recorded.page);
  await recorded.page.goto(`${served.url}${path}`, { waitUntil: 'networkidle' });
  // a chart draws once its query has run in the browser: on a busy machine, seconds later
  await expect
    .poll(async () => (await chartDrawings(recorded.page)).every((c) => c.texts.length > 0), { timeout: 60_000 })
    .toBe(true);
  await recorded.page.waitForTimeout(1_000);
  const text = await recorded.page.locator('article').innerText();
  return { page: recorded.page, text, charts: await chartDrawings(recorded.page) };
}

/** The chart of `charts` that drew `title`. */
function chart(charts: Array<{ texts: string[]; arcs: number }>, title: string) {
  const found = charts.find((c) => c.texts.includes(title));
  expect(found, `a chart titled ${title}`).toBeDefined();
  return found!;
}

beforeAll(async () => {
  const dir = tempDir('crm-eval-site-');
  out = join(dir, 'site');
  await generateCompany({ outDir: join(dir, 'reference'), customers: 5000, seed: 42 });
  // another company: its own CRM data (another seed), rolled out region by region (the west
  // never), and neither finance nor HR data
  const waves = { rollout: [...REFERENCE_ROLLOUT], control_group: null };
  await generateCompany({ outDir: join(dir, 'other'), customers: 3000, seed: 7, config: parseConfig(waves), waveScales: REFERENCE_SCALES });
  cpSync(join(dir, 'other', 'crm'), join(dir, 'crm-only', 'crm'), { recursive: true });
  const reference = join(dir, 'reference.duckdb');
  crmOnlyWarehouse = join(dir, 'crm-only.duckdb');
  expect((await runPipeline({ dataDir: join(dir, 'reference'), warehousePath: reference, config: parseConfig({}), runId: 'site-reference' })).status).toBe('succeeded');
  const config = parseConfig({ ...waves, sources_provided: ['crm'] });
  expect((await runPipeline({ dataDir: join(dir, 'crm-only'), warehousePath: crmOnlyWarehouse, config, runId: 'site-crm-only' })).status).toBe('succeeded');

  browser = await launchBrowser();
  site = await buildSite({ snapshot: publishedPath(reference), out, language: 'en', projectDir });
  served = await serveSite(out);
  builds.reference = { site, pages: await seeEveryPage() };
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 1_800_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  rmSync(projectDir, { recursive: true, force: true });
});

describe('the reference company’s site', () => {
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
    expect(await charts.count()).toBe(declaredCharts(file).length);
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
    it('no axis repeats a label: a count axis steps in whole units (0, 1, 2, not 0, 1, 1, 2)', async () => {
      const axisNumber = /^[-−+]?[¥$€]?\d[\d.,]*\s?[%k]?$/;
      for (const { file, path } of pages) {
        const kinds = declaredCharts(file);
        const { page, charts } = await open(path);
        charts.forEach((drawn, i) => {
          // a heat map prints a value in every cell: equal values there are no axis
          if (kinds[i] === 'Heatmap') return;
          // the labels of one axis share a row (x axis) or a column (y axis); the 0 of the x
          // axis and the 0 of the y axis share neither
          const numbers = drawn.lastFrame.filter((d) => axisNumber.test(d.text));
          const repeated = numbers.filter((d, j) => numbers.some((e, k) => k < j && e.text === d.text && (Math.abs(e.x - d.x) < 1 || Math.abs(e.y - d.y) < 1)));
          expect(repeated.map((d) => d.text), `chart ${i + 1} (${kinds[i]}) of ${file}: ${numbers.map((d) => d.text).join(' ')}`).toEqual([]);
        });
        await page.close();
      }
    });

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
      // the event study in percentage points of CSAT, its months of a few answers flagged: the
      // control region answers 1 to 16 surveys a month
      expect(chart(charts, 'Event study: effect by months since go-live, with its 95% interval').texts).toContain('0.0%');
      expect(text).toMatch(/Small sample: in these months \(since go-live\) a wave or its comparison has fewer than 30 observations, and the interval understates the uncertainty: every month/);
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

describe('then a CRM-only company rolled out in waves, built into the same folder', () => {
  beforeAll(async () => {
    // the same folder, the same project, the same server: it must now show the second company
    const second = await buildSite({ snapshot: publishedPath(crmOnlyWarehouse), out, language: 'en', projectDir });
    builds.crmOnly = { site: second, pages: await seeEveryPage(join(ARTIFACTS, 'crm-only')) };
  }, 1_800_000);

  /** Money figures of ¥1,000 or more: rare enough to tell one company from another. */
  const money = (text: string) => new Set(text.match(/¥-?\d{1,3}(,\d{3})+/g) ?? []);

  describe.each(['reference', 'crmOnly'] as const)('every page of the %s build', (name) => {
    const pages = () => builds[name].pages;

    it('is every page of reports/, served by the one server after the rebuild too', () => {
      expect(pages().length).toBe(builds[name].site.pages.length);
      expect(pages().map((p) => p.path)).toContain('/cost/');
    });

    it('has no console error, no failed request and nothing off localhost', () => {
      for (const page of pages()) {
        expect(page.consoleErrors, page.path).toEqual([]);
        expect(page.failures, page.path).toEqual([]);
        expect(page.external, page.path).toEqual([]);
      }
    });

    it('has no error box, no “0 months”, no ±100 artefact and no number without its format', () => {
      for (const { path, text } of pages()) {
        expect(text, path).not.toMatch(/\bError\b|No Results/);
        expect(text, path).not.toMatch(/(?<![\d.,])0(\.0+)? months/);
        expect(text, path).not.toMatch(/[+-]100\.0 ?(%|pp|points)/);
        // an unformatted value (0.5842…) is a rate or an amount shown without its unit
        expect(text, path).not.toMatch(/(?<![\d.])\d+\.\d{4,}(?!\d)/);
      }
    });

    it('shows every table whole: none wider than the page, those in <Details> blocks opened', () => {
      for (const page of pages()) expect(page.cutOff, page.path).toEqual([]);
    });

    it('labels the partial month the summary leaves out', () => {
      const summary = pages().find((p) => p.path === '/')!;
      expect(summary.text).toMatch(/partial and left out of the index/);
    });
  });

  describe('one build after the other', () => {
    const page = (name: 'reference' | 'crmOnly', path: string) => builds[name].pages.find((p) => p.path === path)!.text;

    it('the reference company labels its projected payback and cash flows', () => {
      expect(page('reference', '/')).toMatch(/pays back after \d+ months \(projected: that month lies after the end of the data\)/);
      expect(page('reference', '/cost/')).toMatch(/months are projected/);
    });

    it('the CRM-only company shows no figure of the reference company', () => {
      const before = new Set(builds.reference.pages.flatMap((p) => [...money(p.text)]));
      expect(before.size).toBeGreaterThan(10);
      for (const { path, text } of builds.crmOnly.pages) {
        expect([...money(text)].filter((m) => before.has(m)), path).toEqual([]);
      }
      expect(page('crmOnly', '/cost/')).toContain('Not provided: this company delivers no finance data');
    });

    it('the CRM-only summary neither claims a payback or NPV nor implies costs it does not have', () => {
      const summary = page('crmOnly', '/');
      expect(summary).toContain('The return on the CRM investment is not assessed: this company delivers no finance data');
      expect(summary).not.toMatch(/pays back|does not pay back|NPV turns|in the ledger/);
      expect(summary).not.toMatch(/^(ROI|NPV)/m);
    });
  });

  describe('the second company went live region by region', () => {
    const seen = (path: string) => builds.crmOnly.pages.find((p) => p.path === path)!;

    it('the summary reads the waves’ overall estimate', () => {
      expect(seen('/').text).toContain('The CRM went live in waves: each KPI is the overall group-time estimate');
    });

    it('the case study aligns each wave on its own go-live and has no single-date difference-in-differences', () => {
      const { text } = seen('/case-study/');
      expect(text).toContain('The CRM went live in waves, so there is no single go-live to split at');
      expect(text).toContain('With rollout waves this table has the before/after only');
      expect(text).not.toMatch(/\t(Difference-in-differences|Interrupted time series)\t/);
      // the rollout table: each wave on its region, and the overall
      for (const wave of ['north (region = north)', 'south (region = south)', 'east (region = east)', 'All waves (overall)']) expect(text).toContain(wave);
    });

    it('the event study draws go-live at 0, the months before it, and its interval', async () => {
      const { page, charts } = await open('/case-study');
      const event = chart(charts, 'Event study: effect by months since go-live, with its 95% interval');
      expect(event.texts).toEqual(expect.arrayContaining(['Effect', '95% interval, low', '95% interval, high', 'CRM go-live (0)', '0']));
      // the leads, left of 0: the pre-trend check
      expect(event.texts.some((t) => /^[-−]\d+$/.test(t)), JSON.stringify(event.texts)).toBe(true);
      await page.close();
    });
  });

  // (console errors and failed requests: checked on every page of both builds above)
  describe('the CRM-only pages say what is not provided', () => {
    const seen = (path: string) => builds.crmOnly.pages.find((p) => p.path === path)!;

    it('lists its empty marts by their schema in the data manifest, so no page asks for a parquet file that does not exist', () => {
      const { renderedFiles } = JSON.parse(readFileSync(join(out, 'data', 'manifest.json'), 'utf8')) as { renderedFiles: Record<string, string[]> };
      const urls = Object.values(renderedFiles).flat();
      const onDisk = (url: string) => existsSync(join(out, 'data', url.replace(/^\/?(static\/)?data\//, '')));
      expect(urls.filter((url) => !onDisk(url))).toEqual([]);
      // the finance mart is empty for this company: listed by its schema, not by a parquet
      expect(renderedFiles.marts).toContain('static/data/marts/cost_monthly/cost_monthly.schema.json');
    });

    it('Cost says finance data is not provided: no period filter from 1970, no cost charts, no NPV', () => {
      const cost = seen('/cost/');
      expect(cost.text).toContain('Not provided: this company delivers no finance data');
      expect(cost.text).not.toMatch(/1970/);
      expect(cost.text).not.toMatch(/No Records|Dataset is empty|\bError\b/);
      expect(cost.charts).toBe(0);
      expect(cost.loading).toBe(0);
      // the verdict table stays, saying why
      expect(cost.text).toContain('not measurable: no finance data (sources_provided)');
    });

    it('People says HR data is not provided: no team or period filter, no placeholders that never load', () => {
      const people = seen('/people/');
      expect(people.text).toContain('Not provided: this company delivers no HR data');
      expect(people.text).not.toMatch(/1970/);
      expect(people.text).not.toMatch(/No Records|Dataset is empty|\bError\b/);
      expect(people.charts).toBe(0);
      expect(people.loading).toBe(0);
    });

    it('the summary says the investment cannot be judged, with no ROI or NPV figure', () => {
      const summary = seen('/');
      expect(summary.text).toContain('Not provided: this company delivers no finance data, so the CRM costs are unknown');
      // no ROI or NPV tile (its title on a line of its own) to show a dash or a number
      expect(summary.text).not.toMatch(/^(ROI|NPV)$/m);
    });

    it('Efficiency says why productivity from timesheets is empty', () => {
      const efficiency = seen('/efficiency/');
      expect(efficiency.text).toContain('Not provided: this company delivers no HR data, so tickets per agent day and occupancy');
    });

    it('Data quality lists finance and HR as not provided, not as entities that loaded 0 rows', () => {
      const quality = seen('/data-quality/');
      expect(quality.text).toContain('Not provided: the company does not deliver these sources');
      expect(quality.text).toMatch(/finance\s+budgets, gl_entries/);
      // the entity table holds only delivered entities
      expect(quality.text).not.toMatch(/finance\.gl_entries|hr\.timesheets/);
    });
  });
});
