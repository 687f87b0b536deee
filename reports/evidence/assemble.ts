/**
 * Evidence's CLI wants `pages/`, `sources/` and its configuration in the folder it runs in.
 * The project keeps them where a reader looks for them instead: pages in `reports/`, the marts
 * connection in `sources/marts/`, the configuration at the root. This module assembles the
 * folder Evidence needs from those (generated, ignored by git), so nobody edits two copies.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { literal, Warehouse } from '../../warehouse/warehouse.ts';
import { frameWords, layoutSvelte } from './frame.ts';
import { applyLabels, loadLabels, withMoneyLabels, type Labels, type Language } from './labels.ts';

/** Where the pieces live in the repository. */
export const PROJECT = {
  pages: 'reports',
  components: 'reports/components',
  labels: 'reports/labels.yaml',
  connection: 'sources/marts',
  config: 'evidence.config.yaml',
} as const;

/**
 * Unit-level marts (one row per ticket, survey or customer-month) stay out of the site: Evidence
 * loads every source table into each reader's browser, and the pages read the monthly marts
 * built from these.
 */
export const NOT_IN_SITE = ['kpi_observations', 'customer_months'];

/** The Evidence packages an Evidence project declares; vite decides from them what to bundle. */
const EVIDENCE_PACKAGES = ['@evidence-dev/evidence', '@evidence-dev/core-components', '@evidence-dev/duckdb'];

export interface AssembleOptions {
  /** the repository root (where reports/, sources/ and node_modules/ are) */
  root: string;
  /** the folder to assemble; emptied first (except Evidence's own cache in .evidence/) */
  projectDir: string;
  /** the published snapshot the site reads */
  snapshot: string;
  language: Language;
  /** the configuration's currency (ISO code), for the money formats and titles; CNY by default */
  currency?: string;
}

/** Where Evidence keeps the results of the last `evidence sources`, inside the project folder. */
const EVIDENCE_RESULT_CACHES = ['.evidence/meta', '.evidence/template/static/data'];

export interface AssembledProject {
  pages: string[];
  tables: string[];
}

export async function assembleProject(options: AssembleOptions): Promise<AssembledProject> {
  const root = resolve(options.root);
  const projectDir = resolve(options.projectDir);
  const snapshot = resolve(options.snapshot);
  if (!existsSync(snapshot)) {
    throw new Error(`no published snapshot at ${snapshot}: run the pipeline first (crm-eval run), the site is built from its marts`);
  }
  mkdirSync(projectDir, { recursive: true });
  for (const entry of readdirSync(projectDir)) {
    if (entry !== '.evidence') rmSync(join(projectDir, entry), { recursive: true, force: true });
  }
  // Evidence's own template (.evidence/template) is kept between builds, it is slow to make; its
  // source results are not: the parquet files of the last build and the query hashes that let
  // Evidence skip a query would show the previous warehouse's rows wherever a mart is now empty.
  for (const cache of EVIDENCE_RESULT_CACHES) rmSync(join(projectDir, cache), { recursive: true, force: true });

  const labels = siteLabels(root, options.currency);
  const pages = writePages(root, join(projectDir, 'pages'), labels, options.language);
  // Evidence's layout, with the words of its page frame in the site's language (frame.ts)
  writeFileSync(join(projectDir, 'pages', '+layout.svelte'), layoutSvelte(frameWords(labels, options.language), options.language));
  if (existsSync(join(root, PROJECT.components))) cpSync(join(root, PROJECT.components), join(projectDir, 'components'), { recursive: true });
  const tables = await writeMartsSource(join(root, PROJECT.connection), join(projectDir, 'sources', 'marts'), snapshot);
  writeLabelsSource(join(projectDir, 'sources', 'labels'), labels, options.language);

  cpSync(join(root, PROJECT.config), join(projectDir, 'evidence.config.yaml'));
  // Evidence's CLI sends usage statistics unless this file says no (its env variables are ignored).
  writeFileSync(join(projectDir, 'evidence.settings.json'), JSON.stringify({ send_anonymous_usage_stats: 'no' }));
  const versions = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies as Record<string, string>;
  const dependencies = Object.fromEntries(EVIDENCE_PACKAGES.map((p) => [p, versions[p]]));
  writeFileSync(join(projectDir, 'package.json'), JSON.stringify({ name: 'crm-eval-site', private: true, type: 'module', dependencies }, null, 2));
  // Evidence's tailwind configuration looks for the component library in <project>/node_modules.
  symlinkSync(relative(projectDir, join(root, 'node_modules')), join(projectDir, 'node_modules'), 'dir');
  return { pages, tables };
}

/** The report pages under `from`, relative to it: every Markdown file but README.md and the code in evidence/. */
export function reportPages(from: string): string[] {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['evidence', 'components'].includes(entry.name)) walk(path);
      } else if (isReportPage(entry.name)) pages.push(relative(from, path));
    }
  };
  walk(from);
  if (pages.length === 0) throw new Error(`no report pages (*.md) in ${from}`);
  return pages.sort();
}

export const isReportPage = (file: string) => file.endsWith('.md') && file !== 'README.md';

/** The labels and the currency's placeholders, as assembly applies them to a page. */
export function siteLabels(root: string, currency = 'CNY'): Labels {
  return withMoneyLabels(loadLabels(join(root, PROJECT.labels)), currency);
}

/** One page of reports/ with its labels applied, as Evidence reads it. */
export function labelledPage(root: string, page: string, labels: Labels, language: Language): string {
  return applyLabels(readFileSync(join(root, PROJECT.pages, page), 'utf8'), labels, language, `reports/${page}`);
}

/** Writes every page of reports/, labels applied, to `to`. */
function writePages(root: string, to: string, labels: Labels, language: Language): string[] {
  const pages = reportPages(join(root, PROJECT.pages));
  for (const page of pages) {
    mkdirSync(dirname(join(to, page)), { recursive: true });
    writeFileSync(join(to, page), labelledPage(root, page, labels, language));
  }
  return pages;
}

/**
 * sources/marts/connection.yaml with `filename` pointing at the snapshot (relative to the source
 * folder, as the DuckDB connector reads it), the user's own *.sql source queries, and one
 * `select * from marts.<table>` per published mart.
 */
async function writeMartsSource(from: string, to: string, snapshot: string): Promise<string[]> {
  mkdirSync(to, { recursive: true });
  const connection = parse(readFileSync(join(from, 'connection.yaml'), 'utf8')) as { options: { filename: string } };
  connection.options.filename = relative(to, snapshot);
  writeFileSync(join(to, 'connection.yaml'), stringify(connection));
  const own = readdirSync(from).filter((f) => f.endsWith('.sql'));
  for (const file of own) cpSync(join(from, file), join(to, file));

  const warehouse = await Warehouse.open(snapshot, { readOnly: true });
  try {
    const tables = (await siteMarts(warehouse)).filter((t) => !own.includes(`${t}.sql`));
    for (const table of tables) writeFileSync(join(to, `${table}.sql`), `select * from marts.${table}\n`);
    return [...tables, ...own.map((f) => f.replace(/\.sql$/, ''))].sort();
  } finally {
    warehouse.close();
  }
}

/** The marts of a snapshot the site carries (all but NOT_IN_SITE). */
export async function siteMarts(snapshot: Warehouse, catalog?: string): Promise<string[]> {
  const current = (await snapshot.one<{ name: string }>('SELECT current_database() AS name')).name;
  const marts = await snapshot.all<{ table_name: string }>(
    `SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' AND database_name = $1 ORDER BY table_name`,
    [catalog ?? current],
  );
  return marts.map((t) => t.table_name).filter((t) => !NOT_IN_SITE.includes(t));
}

/**
 * The labels in the configured language as a table, labels.labels(key, label), for labels that
 * depend on data: a page joins it to show a KPI or a cut value in the reader's language.
 */
function writeLabelsSource(to: string, labels: Labels, language: Language): void {
  mkdirSync(to, { recursive: true });
  writeFileSync(join(to, 'connection.yaml'), stringify({ name: 'labels', type: 'duckdb', options: { filename: ':memory:' } }));
  writeFileSync(join(to, 'labels.sql'), `${labelsQuery(labels, language)}\n`);
}

/** The query behind labels.labels(key, label). */
export function labelsQuery(labels: Labels, language: Language): string {
  // a mart text has no English label: the page falls back to the mart's own column
  const rows = Object.entries(labels)
    .filter(([, label]) => label[language] !== undefined)
    .map(([key, label]) => `(${literal(key)}, ${literal(label[language]!)})`);
  return `select * from (values ${rows.join(',\n  ')}) as t(key, label)`;
}
