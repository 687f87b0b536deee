/**
 * The done-when test of the report site: the reference company, then a CRM-only company (its
 * own data, another seed, without finance/ and hr/), built in a row into the same site folder
 * with the same Evidence project, while one `reports serve` keeps serving that folder. On every
 * page of both builds (the pages the built site has, not a list kept here): no figure of the
 * other build, no “0 months” or ±100 artefacts, no unformatted number (a rate without its
 * unit), projected and partial periods labelled, no console error, no failed request and none
 * off localhost. Evidence keeps a cache of source results in its project folder; building a
 * second warehouse whose mart is empty used to show the first warehouse's rows.
 */
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
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

interface PageSeen {
  path: string;
  text: string;
  consoleErrors: string[];
  failures: Array<{ url: string; status: number }>;
  external: string[];
}

const projectDir = join('.evidence', `test-two-builds-${process.pid}`);
let out: string;
let served: Served;
let browser: Browser;
const builds: Record<'reference' | 'crmOnly', { site: SiteBuilt; pages: PageSeen[] }> = {} as never;

/** The routes of the built site: each folder with an index.html, but Evidence's own (_app, data, api). */
function builtRoutes(dir: string, route = '/'): string[] {
  const routes = existsSync(join(dir, 'index.html')) ? [route] : [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith('_') && !['data', 'api'].includes(entry.name)) {
      routes.push(...builtRoutes(join(dir, entry.name), `${route}${entry.name}/`));
    }
  }
  return routes;
}

async function openEveryPage(): Promise<PageSeen[]> {
  const seen: PageSeen[] = [];
  for (const path of builtRoutes(out)) {
    const recorded = await recordedPage(browser);
    await recorded.page.goto(`${served.url}${path}`, { waitUntil: 'networkidle' });
    await recorded.page.waitForTimeout(1_000);
    const text = await recorded.page.locator('article').innerText();
    await recorded.page.close();
    // The one tolerated miss: a mart with no rows has no parquet file, only its schema (the
    // patched loader then creates it empty); the browser logs each probe's 404.
    const failures = recorded.failures.filter((f) => !/\/data\/.+\.parquet$/.test(f.url));
    const consoleErrors = recorded.consoleErrors.filter((e) => !(/^Failed to load resource: .* 404/.test(e) && failures.length === 0));
    seen.push({ path, text, consoleErrors, failures, external: externalRequests(recorded.requests, served.url) });
  }
  return seen;
}

beforeAll(async () => {
  const dir = tempDir('crm-eval-two-builds-');
  out = join(dir, 'site');
  await generateCompany({ outDir: join(dir, 'reference'), customers: 5000, seed: 42 });
  // another company: its own CRM data (another seed), and neither finance nor HR data
  await generateCompany({ outDir: join(dir, 'other'), customers: 3000, seed: 7 });
  cpSync(join(dir, 'other', 'crm'), join(dir, 'crm-only', 'crm'), { recursive: true });
  const reference = join(dir, 'reference.duckdb');
  const crmOnly = join(dir, 'crm-only.duckdb');
  expect((await runPipeline({ dataDir: join(dir, 'reference'), warehousePath: reference, config: parseConfig({}), runId: 'two-builds-ref' })).status).toBe('succeeded');
  const config = parseConfig({ sources_provided: ['crm'] });
  expect((await runPipeline({ dataDir: join(dir, 'crm-only'), warehousePath: crmOnly, config, runId: 'two-builds-crm' })).status).toBe('succeeded');

  browser = await launchBrowser();
  const site = await buildSite({ snapshot: publishedPath(reference), out, language: 'en', projectDir });
  served = await serveSite(out);
  builds.reference = { site, pages: await openEveryPage() };
  // the same folder, the same project, the same server: it must now show the second company
  const second = await buildSite({ snapshot: publishedPath(crmOnly), out, language: 'en', projectDir });
  builds.crmOnly = { site: second, pages: await openEveryPage() };
}, 1_800_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  rmSync(projectDir, { recursive: true, force: true });
});

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
