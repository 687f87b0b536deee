/**
 * A headless Chromium from npm (@sparticuz/chromium ships the binary in the package, so nothing
 * downloads; ARCHITECTURE.md fact 5), driven by playwright-core, that records every request a
 * page makes so a test can prove the site never leaves localhost.
 */
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
