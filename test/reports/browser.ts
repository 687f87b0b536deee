/**
 * A headless Chromium from npm (@sparticuz/chromium ships the binary in the package, so nothing
 * downloads; ARCHITECTURE.md fact 5), driven by playwright-core, that records every request a
 * page makes so a test can prove the site never leaves localhost.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';

export interface RecordedPage {
  page: Page;
  /** every URL requested, in order */
  requests: string[];
  /** responses with status ≥ 400 */
  failures: Array<{ url: string; status: number }>;
  consoleErrors: string[];
}

export async function launchBrowser(): Promise<Browser> {
  // The package's flags are tuned for one-page serverless runs: with --single-process a
  // second page takes the browser down.
  const args = [...chromium.args.filter((a) => a !== '--single-process'), '--disable-background-networking', '--disable-component-update'];
  return playwright.launch({ executablePath: await chromium.executablePath(), args, headless: true });
}

export async function recordedPage(browser: Browser): Promise<RecordedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const recorded: RecordedPage = { page, requests: [], failures: [], consoleErrors: [] };
  page.on('request', (r) => recorded.requests.push(r.url()));
  page.on('response', (r) => {
    if (r.status() >= 400) recorded.failures.push({ url: r.url(), status: r.status() });
  });
  page.on('console', (m) => {
    if (m.type() === 'error') recorded.consoleErrors.push(m.text());
  });
  return recorded;
}

/** Requests to anything but the local server (data: and blob: URLs stay in the page). */
export function externalRequests(requests: readonly string[], origin: string): string[] {
  return requests.filter((url) => !url.startsWith(origin) && !/^(data|blob|about):/.test(url));
}

/**
 * Records what each chart draws: ECharts paints on a canvas, so its axis labels, legend and
 * markers are not in the DOM. Call before page.goto; chartDrawings() then reads it back.
 */
export async function recordChartDrawing(page: Page): Promise<void> {
  await page.addInitScript(() => {
    type Drawn = { text: string; x: number; y: number };
    type Recorded = HTMLCanvasElement & { drawnTexts?: Set<string>; frameTexts?: Drawn[]; drawnArcs?: number };
    const proto = CanvasRenderingContext2D.prototype;
    // ECharts clears the whole canvas before it draws the chart again: what follows is one frame
    const clearRect = proto.clearRect;
    proto.clearRect = function (this: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
      const canvas = this.canvas as Recorded;
      const scale = this.getTransform().a || 1;
      if (x <= 0 && y <= 0 && w * scale >= canvas.width && h * scale >= canvas.height) canvas.frameTexts = [];
      return clearRect.call(this, x, y, w, h);
    };
    const fillText = proto.fillText;
    proto.fillText = function (this: CanvasRenderingContext2D, text: string, x: number, y: number, maxWidth?: number) {
      const canvas = this.canvas as Recorded;
      (canvas.drawnTexts ??= new Set()).add(String(text));
      // where on the canvas: zrender moves each label by the transform, not by x and y
      const m = this.getTransform();
      (canvas.frameTexts ??= []).push({ text: String(text), x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f });
      return maxWidth === undefined ? fillText.call(this, text, x, y) : fillText.call(this, text, x, y, maxWidth);
    } as typeof proto.fillText;
    const arc = proto.arc;
    proto.arc = function (this: CanvasRenderingContext2D, ...args: Parameters<typeof proto.arc>) {
      const canvas = this.canvas as Recorded;
      canvas.drawnArcs = (canvas.drawnArcs ?? 0) + 1;
      return arc.apply(this, args);
    };
  });
}

/** A text a chart drew, where it drew it (canvas pixels). */
export interface DrawnText {
  text: string;
  x: number;
  y: number;
}

/**
 * Per chart of the page's article, in page order: the texts drawn (axis labels, legend, title),
 * those of the last frame with their place (a label twice there is drawn twice), and how many
 * arcs (markers).
 */
export async function chartDrawings(page: Page): Promise<Array<{ texts: string[]; lastFrame: DrawnText[]; arcs: number }>> {
  return page.evaluate(() =>
    [...document.querySelectorAll('article [_echarts_instance_]')].map((chart) => {
      const canvas = chart.querySelector('canvas') as (HTMLCanvasElement & { drawnTexts?: Set<string>; frameTexts?: DrawnText[]; drawnArcs?: number }) | null;
      return { texts: [...(canvas?.drawnTexts ?? [])], lastFrame: canvas?.frameTexts ?? [], arcs: canvas?.drawnArcs ?? 0 };
    }),
  );
}

/** What a page showed once its queries ran in the browser. */
export interface PageSeen {
  path: string;
  text: string;
  consoleErrors: string[];
  failures: Array<{ url: string; status: number }>;
  external: string[];
  /** charts drawn, and Evidence's grey placeholders of charts still waiting for their data */
  charts: number;
  loading: number;
  /** tables wider than the page, whose right-hand columns a reader does not see */
  cutOff: string[];
}

/** The routes of a built site: each folder with an index.html, but Evidence's own (_app, data, api). */
export function builtRoutes(dir: string, route = '/'): string[] {
  const routes = existsSync(join(dir, 'index.html')) ? [route] : [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith('_') && !['data', 'api'].includes(entry.name)) {
      routes.push(...builtRoutes(join(dir, entry.name), `${route}${entry.name}/`));
    }
  }
  return routes;
}

/** Opens a page of the served site and reads what it shows; with `screenshot`, saves the whole page there. */
export async function seePage(browser: Browser, origin: string, path: string, screenshot?: string): Promise<PageSeen> {
  const recorded = await recordedPage(browser);
  await recorded.page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
  await recorded.page.waitForTimeout(1_000);
  if (screenshot) await recorded.page.screenshot({ path: screenshot, fullPage: true, timeout: 120_000 });
  const text = await recorded.page.locator('article').innerText();
  const charts = await recorded.page.locator('article [_echarts_instance_]').count();
  const loading = await recorded.page.locator('article .animate-pulse').count();
  const cutOff = await tablesCutOff(recorded.page);
  await recorded.page.close();
  // The one tolerated miss: a mart with no rows has no parquet file, only its schema (the
  // patched loader then creates it empty); the browser logs each probe's 404.
  const failures = recorded.failures.filter((f) => !/\/data\/.+\.parquet$/.test(f.url));
  const consoleErrors = recorded.consoleErrors.filter((e) => !(/^Failed to load resource: .* 404/.test(e) && failures.length === 0));
  return { path, text, consoleErrors, failures, external: externalRequests(recorded.requests, origin), charts, loading, cutOff };
}

/**
 * The tables of the article wider than their box, those in <Details> blocks opened first.
 * Evidence's DataTable scrolls sideways inside its box, so on screen and in print the columns
 * past its right edge are simply not there: each is named by its column titles and the
 * widths, table in box, in pixels.
 */
export async function tablesCutOff(page: Page): Promise<string[]> {
  // a table in a collapsed <Details> block is drawn only once it is opened
  const opened = await page.evaluate(() => {
    const closed = [...document.querySelectorAll<HTMLButtonElement>('article button:has(> span.marker:not(.rotate-marker))')];
    for (const button of closed) button.click();
    return closed.length;
  });
  if (opened > 0) await page.waitForTimeout(500);
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('article .scrollbox')]
      .filter((box) => box.offsetParent !== null && box.scrollWidth > box.clientWidth + 1)
      .map((box) => {
        const titles = [...box.querySelectorAll('th')].map((th) => th.textContent?.trim()).filter(Boolean).join(' | ');
        return `${titles}: ${box.scrollWidth} px in ${box.clientWidth} px`;
      }),
  );
}
