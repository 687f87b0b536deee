/**
 * `crm-eval reports build`: the static report site from the published snapshot, offline.
 * Assembles the Evidence project (assemble.ts), runs Evidence's `sources` (the marts to parquet)
 * and `build` (prerendered pages + the parquet files the browser loads), and swaps the site in
 * at `out` (only a folder it wrote itself, or an empty one: see site-dir.ts). The Evidence
 * packages carry a patch (./patches, applied on install) so that neither step nor the browser
 * downloads DuckDB's parquet extension; see reports/README.md.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { assembleProject } from './assemble.ts';
import { setDocumentLanguage } from './frame.ts';
import { pageQueries } from './page-queries.ts';
import { assertSiteTarget, swapInSite } from './site-dir.ts';
import type { Language } from './labels.ts';

export interface BuildSiteOptions {
  /** the published snapshot (data/warehouse.published.duckdb) */
  snapshot: string;
  /** where the site goes (build/) */
  out: string;
  language: Language;
  /** the configuration's currency (ISO code); CNY by default */
  currency?: string;
  /** the repository root; the current directory by default */
  root?: string;
  /** the assembled Evidence project, generated and ignored by git */
  projectDir?: string;
  /** each line Evidence prints, for progress and heartbeats */
  onLine?: (line: string) => void;
}

export interface SiteBuilt {
  out: string;
  pages: string[];
  tables: string[];
  seconds: number;
}

/** A report page whose SQL failed: the build stops with the page and the query named. */
export class ReportQueryError extends Error {
  constructor(readonly failures: ReadonlyArray<{ pages: string[]; query: string; error: string }>) {
    super(
      `report queries failed:\n` +
        failures.map((f) => `  ${f.pages.join(', ') || '(no page found)'}: query "${f.query}": ${f.error}`).join('\n'),
    );
    this.name = 'ReportQueryError';
  }
}

export async function buildSite(options: BuildSiteOptions): Promise<SiteBuilt> {
  const started = Date.now();
  const root = resolve(options.root ?? '.');
  const projectDir = resolve(options.projectDir ?? join(root, '.evidence', 'site'));
  const out = resolve(options.out);
  // Before a minute of Evidence: a folder the build did not write is never replaced.
  assertSiteTarget(out);
  const project = await assembleProject({ root, projectDir, snapshot: options.snapshot, language: options.language, currency: options.currency });

  const sources = await evidence(['sources', '--strict'], projectDir, options.onLine);
  if (sources.code !== 0) throw new Error(`evidence sources failed (exit ${sources.code}):\n${tail(sources.output)}`);
  // Not build:strict: strict mode fails a page whose query returns no rows, and a mart the data
  // cannot feed is legitimately empty (the page says so). Errors are judged from the output.
  const build = await evidence(['build'], projectDir, options.onLine);
  // A failing page query ends the build with exit 0 and the error drawn on the page: the
  // page and the query are named and nothing ships.
  const failed = failedQueries(build.output);
  if (failed.length > 0) {
    const queries = pageQueries(join(projectDir, 'pages'));
    throw new ReportQueryError(
      failed.map((f) => ({ ...f, pages: queries.filter((q) => q.query === f.query).map((q) => `reports/${q.page}`) })),
    );
  }
  if (build.code !== 0) throw new Error(`evidence build failed (exit ${build.code}):\n${tail(build.output)}`);
  const broken = componentErrors(build.output);
  if (broken.length > 0) {
    // Evidence does not say which page; the prerendered page shows the message, so look there.
    const pages = builtPages(join(projectDir, 'build'));
    const where = (message: string) => pages.filter((p) => p.html.includes(message)).map((p) => p.page).join(', ') || '(page not found)';
    throw new Error(`report components failed:\n${broken.map((e) => `  ${where(e.message)}: ${e.component}: ${e.message}`).join('\n')}`);
  }
  listEmptyTablesBySchema(join(projectDir, 'build', 'data'));
  setDocumentLanguage(join(projectDir, 'build'), options.language);
  swapInSite(join(projectDir, 'build'), out);
  return { out, pages: project.pages, tables: project.tables, seconds: (Date.now() - started) / 1000 };
}

const plain = (output: string) => output.replace(/\u001b\[[0-9;]*m/g, '');

/** `<query> | Error in Query! <message>` lines of Evidence's output, one per query. */
export function failedQueries(output: string): Array<{ query: string; error: string }> {
  const failures = new Map<string, string>();
  for (const match of plain(output).matchAll(/^(\S+) \| Error in Query! (.*)$/gm)) failures.set(match[1]!, match[2]!);
  return [...failures].map(([query, error]) => ({ query, error }));
}

/**
 * `Error in <component>: <message>` lines (a chart naming a column its query lacks, …), except
 * an empty dataset, which is what a mart the data cannot feed looks like.
 */
export function componentErrors(output: string): Array<{ component: string; message: string }> {
  const errors = new Map<string, { component: string; message: string }>();
  for (const match of plain(output).matchAll(/^Error in (?!Query)(.+?): (.*)$/gm)) {
    if (!match[2]!.startsWith('Dataset is empty')) errors.set(match[0], { component: match[1]!, message: match[2]! });
  }
  return [...errors.values()];
}

/**
 * A source query with no rows (a mart the data cannot feed) has no parquet file, only its
 * `<table>.schema.json`, yet Evidence's manifest lists the `.parquet`: the browser would request
 * it and get a 404 before making the table. The manifest of the built site lists such a table by
 * its schema instead, and the patched loader (universal-sql patch, browser.js) creates it empty
 * from that without asking for a parquet. Returns the tables so listed, as `source.table`.
 */
export function listEmptyTablesBySchema(dataDir: string): string[] {
  const manifestFile = join(dataDir, 'manifest.json');
  if (!existsSync(manifestFile)) return [];
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { renderedFiles?: Record<string, string[]> };
  const empty: string[] = [];
  for (const [source, files] of Object.entries(manifest.renderedFiles ?? {})) {
    manifest.renderedFiles![source] = files.map((url) => {
      // static/data/<source>/<table>[/<hash>]/<table>.parquet: the site's data/ is static/data/
      const onDisk = (u: string) => join(dataDir, u.replace(/^\/?(static\/)?data\//, ''));
      if (!url.endsWith('.parquet') || existsSync(onDisk(url))) return url;
      const schema = url.replace(/\.parquet$/, '.schema.json');
      if (!existsSync(onDisk(schema))) throw new Error(`the site's data lacks both ${url} and its schema ${schema}`);
      empty.push(`${source}.${url.split('/').at(-1)!.replace(/\.parquet$/, '')}`);
      return schema;
    });
  }
  writeFileSync(manifestFile, JSON.stringify(manifest));
  return empty;
}

/** The prerendered pages of a built site, named by their file in reports/. */
function builtPages(buildDir: string): Array<{ page: string; html: string }> {
  const pages: Array<{ page: string; html: string }> = [];
  const walk = (dir: string, route: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith('_') && entry.name !== 'data') walk(join(dir, entry.name), `${route}${entry.name}/`);
      else if (entry.name === 'index.html') pages.push({ page: route ? `reports/${route.replace(/\/$/, '')}.md` : 'reports/index.md', html: readFileSync(join(dir, entry.name), 'utf8') });
    }
  };
  walk(buildDir, '');
  return pages;
}

/** Evidence's CLI script. */
export const evidenceCli = () => join(createRequire(import.meta.url).resolve('@evidence-dev/evidence/package.json'), '..', 'cli.js');

/** Runs Evidence's CLI in the project, passing each line on; resolves with its exit code and output. */
export function evidence(args: string[], cwd: string, onLine?: (line: string) => void): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [evidenceCli(), ...args], {
      cwd,
      // NODE_ENV from the caller (vitest sets 'test') would make Evidence build its dev-only pages.
      env: { ...process.env, NODE_ENV: 'production', NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let partial = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      for (const line of lines) if (line.trim() && !line.startsWith('npm warn')) onLine?.(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, output }));
  });
}

/** The end of Evidence's output, with its generated page paths turned into reports/ paths. */
const tail = (output: string) =>
  reportPaths(
    output
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('npm warn'))
      .slice(-25)
      .join('\n'),
  );

/** Evidence names a page by its generated file (…/src/pages/loyalty/+page.md): say reports/loyalty.md. */
export function reportPaths(text: string): string {
  return text.replace(/\S*\/\.evidence\/template\/src\/pages\/((?:[^\s/]+\/)*)\+page\.md/g, (_, dir: string) =>
    dir === '' ? 'reports/index.md' : `reports/${dir.replace(/\/$/, '')}.md`,
  );
}

/** A built site has its home page and the data manifest: tells it from an empty folder. */
export function siteExists(out: string): boolean {
  return existsSync(join(out, 'index.html')) && existsSync(join(out, 'data', 'manifest.json'));
}
