/**
 * `crm-eval reports dev`: Evidence's dev server over the published snapshot. An edit to a page
 * in reports/ shows on the served page without rerunning the pipeline or building the site,
 * its labels applied; closing the server leaves no process behind. The dev server renders in
 * the browser only (no server-side rendering in dev), so the page is read in headless Chromium.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../reports/evidence/dev-server.ts';
import { publishedPath } from '../../warehouse/publish.ts';
import { runPipeline } from '../../workflows/embedded/pipeline.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../fixtures/company.ts';
import { tempDir } from '../fixtures/csv.ts';
import { launchBrowser, recordedPage } from './browser.ts';
import { projectWithPages } from './project.ts';

const PAGE = (version: string) =>
  `# Dev page\n\n${version} of the page: {{common.yes}}\n\n\`\`\`sql n\nselect count(*) as kpis from marts.kpi_definitions\n\`\`\`\n\n<Value data={n} column=kpis/> KPIs\n`;

let root: string;
let dev: DevServer;
let browser: Browser;
const log: string[] = [];

/** A port nothing listens on now (the dev server wants a fixed one). */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  const run = await runPipeline({ dataDir: writeTinyCompany(), warehousePath, config: tinyCompanyConfig(), runId: 'dev-server' });
  expect(run.error).toBeUndefined();
  root = projectWithPages({ 'index.md': PAGE('first version') });
  dev = await startDevServer({ root, snapshot: publishedPath(warehousePath), language: 'en', port: await freePort(), onLine: (line) => log.push(line) });
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await dev?.close();
});

it('serves the page over the snapshot, and an edit to reports/*.md shows without a build', async () => {
  const { page, consoleErrors } = await recordedPage(browser);
  // vite compiles the client on the first visit (minutes on a busy machine); later ones are quick
  const text = async () => {
    await page.goto(`${dev.url}/`, { waitUntil: 'load', timeout: 300_000 });
    await page.getByText(/of the page/).waitFor({ timeout: 300_000 });
    return page.locator('article').innerText();
  };
  // the label applied, and the query run in the browser against the snapshot's marts
  expect(await text()).toMatch(/first version of the page: yes/);
  await expect.poll(() => page.locator('article').innerText(), { timeout: 120_000 }).toMatch(/\b12 KPIs/);

  writeFileSync(join(root, 'reports', 'index.md'), PAGE('second version'));
  await expect.poll(text, { timeout: 60_000 }).toMatch(/second version of the page: yes/);
  expect(readFileSync(join(root, 'reports', 'index.md'), 'utf8')).toContain('{{common.yes}}');

  // a page with an unknown label is refused, naming it; the last good version stays served
  writeFileSync(join(root, 'reports', 'index.md'), PAGE('third version').replace('{{common.yes}}', '{{no.such.label}}'));
  await expect.poll(() => log.join('\n'), { timeout: 30_000 }).toContain('reports/index.md not updated: reports/index.md: unknown label {{no.such.label}}');
  expect(await text()).toMatch(/second version of the page/);
  expect(consoleErrors.filter((e) => !/404/.test(e))).toEqual([]);
  await page.close();
}, 600_000);

it('close ends Evidence, vite and everything they started', async () => {
  const group = dev.pid;
  await dev.close();
  expect(() => process.kill(-group, 0)).toThrow(/ESRCH/);
  await expect(fetch(dev.url)).rejects.toThrow();
});
