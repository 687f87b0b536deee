/**
 * The Chinese site (language: zh) is Chinese throughout: the reference company's site built in
 * Chinese, every page opened in the headless browser. No English word of Evidence's page frame
 * may remain in what a reader sees, headings and column titles are Chinese, the document says
 * lang="zh-CN", and the Chinese is drawn by a CJK font (not empty boxes). Screenshots land in
 * test-artifacts/reports-zh/ for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.ts';
import { buildSite } from '../../reports/evidence/build-site.ts';
import { frameWords } from '../../reports/evidence/frame.ts';
import { loadLabels } from '../../reports/evidence/labels.ts';
import { serveSite, type Served } from '../../reports/evidence/serve.ts';
import { generateCompany } from '../../sources/reference-company/generate.ts';
import { publishedPath } from '../../warehouse/publish.ts';
import { runPipeline } from '../../workflows/embedded/pipeline.ts';
import { tempDir } from '../fixtures/csv.ts';
import { launchBrowser, recordedPage, tablesCutOff } from './browser.ts';

const ARTIFACTS = 'test-artifacts/reports-zh';
const HAN = /\p{Script=Han}/u;

const pages = readdirSync('reports')
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .map((file) => ({ file, path: file === 'index.md' ? '/' : `/${file.replace(/\.md$/, '')}` }));

/**
 * Evidence's English frame words (the `en` of the frame.* labels: Home, On this page, Built with
 * Evidence, pagination, date presets, month names, …) and its en-US dates (“Jan 1, 2024”).
 * “of” alone is too common a word to look for; its “N of M records” is covered by “records”.
 */
const ENGLISH_FRAME = [
  ...Object.keys(frameWords(loadLabels('reports/labels.yaml'), 'en'))
    .filter((word) => word !== 'of')
    .map((word) => new RegExp(`(^|[^A-Za-z])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z])`)),
  /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}\b/,
];

/** Font families fontconfig offers for Chinese: the browser draws with the system's fonts. */
function cjkFamilies(): Set<string> {
  const listed = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return new Set(listed.split('\n').flatMap((line) => line.split(',')).map((f) => f.trim()).filter(Boolean));
}

/** The fonts Chromium drew a node's text with (DevTools protocol), and how many glyphs each drew. */
async function fontsOf(page: Page, selector: string): Promise<Array<{ familyName: string; glyphCount: number }>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return fonts;
}

let served: Served;
let browser: Browser;
let fonts: Set<string>;

beforeAll(async () => {
  fonts = cjkFamilies();
  const dir = tempDir('crm-eval-zh-site-');
  await generateCompany({ outDir: join(dir, 'data'), customers: 5000, seed: 42 });
  const warehousePath = join(dir, 'warehouse.duckdb');
  const run = await runPipeline({ dataDir: join(dir, 'data'), warehousePath, config: parseConfig({ language: 'zh' }), runId: 'zh-site-test' });
  expect(run.status).toBe('succeeded');
  const site = await buildSite({
    snapshot: publishedPath(warehousePath),
    out: join(dir, 'build'),
    language: 'zh',
    projectDir: join('.evidence', `test-zh-site-${process.pid}`),
  });
  served = await serveSite(site.out);
  browser = await launchBrowser();
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  // a whole site build: 10 minutes on a quiet machine was not enough on a loaded one (20 minutes)
}, 1_800_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  rmSync(join('.evidence', `test-zh-site-${process.pid}`), { recursive: true, force: true });
});

describe('the Chinese report site', () => {
  it('has a CJK font for the browser to draw with (.ci/run installs fonts-wqy-microhei)', () => {
    expect([...fonts], 'fc-list :lang=zh lists no font: apt-get install fonts-wqy-microhei').not.toEqual([]);
  });

  it.each(pages)('$file is Chinese throughout, drawn in a CJK font', async ({ file, path }) => {
    const { page } = await recordedPage(browser);
    await page.goto(`${served.url}${path}`, { waitUntil: 'networkidle' });
    await page.waitForTimeout(1_000);
    // a long page (case study, cost) takes more than the default 30 s to capture on a busy machine
    await page.screenshot({ path: join(ARTIFACTS, `${file.replace(/\.md$/, '')}.png`), fullPage: true, timeout: 120_000 });

    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    // what a reader sees: the frame (sidebar, header, breadcrumbs, table of contents) and the page
    const visible = await page.locator('body').innerText();
    for (const english of ENGLISH_FRAME) expect(visible, `English frame word ${english} on ${file}`).not.toMatch(english);
    // every table fits the page, those of <Details> blocks too (opened here, so the titles
    // checked below are theirs as well)
    expect(await tablesCutOff(page), `tables wider than the page on ${file}`).toEqual([]);
    // headings and column titles are Chinese
    for (const heading of await page.locator('article :is(h1, h2, h3):visible').allInnerTexts()) expect(heading).toMatch(HAN);
    const titles = await page.locator('article th:visible').allInnerTexts();
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles.filter((t) => t.trim() !== '')) expect(title, `column title on ${file}`).toMatch(HAN);
    // the page title's glyphs come from a CJK font, not a fallback drawing empty boxes
    const drawn = await fontsOf(page, 'article h1');
    expect(drawn.filter((f) => fonts.has(f.familyName)).reduce((n, f) => n + f.glyphCount, 0), JSON.stringify(drawn)).toBeGreaterThan(0);
    await page.close();
  }, 300_000);

  it.each([
    { path: '/cost', note: /按月复利/ },
    { path: '/', note: /年折现率 \d+\.\d%，按月复利/ },
  ])('$path shows the CRM investment notes in Chinese, not the mart’s English', async ({ path, note }) => {
    const { page } = await recordedPage(browser);
    await page.goto(`${served.url}${path}`, { waitUntil: 'networkidle' });
    await page.waitForTimeout(1_000);
    const visible = await page.locator('body').innerText();
    expect(visible).toMatch(note);
    expect(visible).not.toMatch(/compounded monthly|months are projected|annualised from the monthly IRR/);
    await page.close();
  }, 300_000);
});
