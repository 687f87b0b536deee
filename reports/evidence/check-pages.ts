/**
 * `crm-eval reports check`: every SQL query of the report pages run against the published
 * snapshot in native DuckDB, in seconds instead of a three-minute site build. The queries see
 * what they see in the site: the marts the site carries as `marts.<table>` (not the unit-level
 * ones), the user's own source queries, and `labels.labels`; labels are applied as in the site,
 * `${other_query}` is the other query in brackets, as Evidence does, and each filter
 * (`${inputs.x.value}`, `.start`, `.end`) takes the value the page opens with. What only the
 * build finds is left to it: a chart naming a column its query lacks, SQL the browser's DuckDB
 * cannot run (extension functions).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ident, literal, Warehouse } from '../../warehouse/warehouse.ts';
import { labelledPage, labelsQuery, PROJECT, reportPages, siteLabels, siteMarts } from './assemble.ts';
import type { Language } from './labels.ts';
import { queriesOf, type PageQuery } from './page-queries.ts';

export interface CheckOptions {
  /** the repository root (where reports/ and sources/marts are); the current directory by default */
  root?: string;
  snapshot: string;
  language: Language;
  currency?: string;
  /** pages to check (`reports/x.md`, `x.md` or `x`); all by default */
  pages?: string[];
}

export interface QueryChecked {
  /** reports/<page> */
  page: string;
  query: string;
  rows?: number;
  error?: string;
}

export async function checkPages(options: CheckOptions): Promise<QueryChecked[]> {
  const root = resolve(options.root ?? '.');
  const snapshot = resolve(options.snapshot);
  if (!existsSync(snapshot)) throw new Error(`no published snapshot at ${snapshot}: run the pipeline first (crm-eval run)`);
  const all = reportPages(join(root, PROJECT.pages));
  const pages = options.pages?.length ? options.pages.map((p) => pageFile(p, all)) : all;
  const labels = siteLabels(root, options.currency);

  const db = await siteDatabase(root, snapshot, labelsQuery(labels, options.language));
  try {
    const results: QueryChecked[] = [];
    for (const page of pages) {
      let markdown: string;
      try {
        markdown = labelledPage(root, page, labels, options.language);
      } catch (error) {
        results.push({ page: `reports/${page}`, query: '(labels)', error: (error as Error).message });
        continue;
      }
      results.push(...(await checkPage(db, page, markdown)));
    }
    return results;
  } finally {
    db.close();
  }
}

/** `reports/x.md`, `x.md` or `x` → `x.md`, one of the pages. */
function pageFile(name: string, pages: string[]): string {
  const file = name.replace(/^(\.\/)?reports\//, '').replace(/(\.md)?$/, '.md');
  if (!pages.includes(file)) throw new Error(`no report page ${name}: the pages are ${pages.map((p) => `reports/${p}`).join(', ')}`);
  return file;
}

/** An in-memory DuckDB whose `marts` and `labels` schemas hold what the site's sources hold. */
async function siteDatabase(root: string, snapshot: string, labels: string): Promise<Warehouse> {
  const db = await Warehouse.open(':memory:');
  await db.run(`ATTACH ${literal(snapshot)} AS snapshot (READ_ONLY)`);
  for (const table of await siteMarts(db, 'snapshot')) {
    await db.run(`CREATE VIEW marts.${ident(table)} AS SELECT * FROM snapshot.marts.${ident(table)}`);
  }
  // the user's own source queries run on the snapshot, whose marts they name as marts.<table>
  const own = join(root, PROJECT.connection);
  for (const file of readdirSync(own).filter((f) => f.endsWith('.sql'))) {
    const sql = readFileSync(join(own, file), 'utf8').trim().replace(/;$/, '');
    await db.run(`CREATE OR REPLACE VIEW marts.${ident(file.replace(/\.sql$/, ''))} AS ${sql.replace(/\bmarts\./g, 'snapshot.marts.')}`);
  }
  await db.run('CREATE SCHEMA labels');
  await db.run(`CREATE TABLE labels.labels AS ${labels}`);
  return db;
}

const TEMPLATE = /\$\{\s*([\w.]+)\s*\}/g;
const INPUT = /<(Dropdown|DateRange)\b([^>]*?)\/?>/g;
const ATTRIBUTE = /(\w+)=(?:"([^"]*)"|\{([^}]*)\}|([^\s/>]+))/g;

async function checkPage(db: Warehouse, page: string, markdown: string): Promise<QueryChecked[]> {
  const queries = new Map(queriesOf(page, markdown).map((q) => [q.query, q]));
  const inputs = new Map<string, { kind: string; attributes: Record<string, string> }>();
  for (const match of markdown.matchAll(INPUT)) {
    const attributes = Object.fromEntries([...match[2]!.matchAll(ATTRIBUTE)].map((a) => [a[1]!, a[2] ?? a[3] ?? a[4]!]));
    if (attributes.name) inputs.set(attributes.name, { kind: match[1]!, attributes });
  }
  const values = new Map<string, Record<string, string>>();

  /** The query's SQL with its templates filled in, as the page first runs it. */
  const expand = async (query: PageQuery, seen: string[]): Promise<string> => {
    if (seen.includes(query.query)) throw new Error(`queries refer to each other in a circle: ${[...seen, query.query].join(' → ')}`);
    let sql = query.sql;
    for (const [template, reference] of [...new Set([...query.sql.matchAll(TEMPLATE)].map((m) => [m[0], m[1]!] as const))]) {
      const [head, name, property = 'value'] = reference.split('.');
      let value: string;
      if (head === 'inputs' && name) value = (await inputValue(name, [...seen, query.query]))[property] ?? fail(`input ${name} has no ${property}`);
      else if (queries.has(reference)) value = `(${await expand(queries.get(reference)!, [...seen, query.query])})`;
      else fail(`${template} is neither a query of the page nor an input`);
      sql = sql.replaceAll(template, value);
    }
    return sql.replace(/;\s*$/, '');
  };

  /** A filter's value when the page opens: its defaultValue, else the first value (Dropdown) or the whole range (DateRange). */
  const inputValue = async (name: string, seen: string[]): Promise<Record<string, string>> => {
    if (values.has(name)) return values.get(name)!;
    const input = inputs.get(name) ?? fail(`input ${name} is not defined on the page (no Dropdown or DateRange name=${name})`);
    const { data, value, dates, defaultValue } = input.attributes;
    const source = data ? queries.get(data) : undefined;
    let result: Record<string, string>;
    if (input.kind === 'Dropdown' && defaultValue !== undefined) result = { value: defaultValue };
    else if (!source) fail(`input ${name}: its data query ${data ?? '(none)'} is not on the page`);
    else if (input.kind === 'Dropdown') {
      const first = await db.all<{ v: string | null }>(`SELECT CAST(${ident(value ?? '')} AS VARCHAR) AS v FROM (${await expand(source, seen)}\n) LIMIT 1`);
      result = { value: first[0]?.v ?? '' };
    } else {
      // an empty date range opens on 1970 in the browser: the page then queries that
      const range = await db.one<{ start: string | null; end: string | null }>(
        `SELECT strftime(min(${ident(dates ?? '')})::DATE, '%Y-%m-%d') AS start, strftime(max(${ident(dates ?? '')})::DATE, '%Y-%m-%d') AS "end" FROM (${await expand(source, seen)}\n)`,
      );
      result = { start: range.start ?? '1970-01-01', end: range.end ?? '1970-01-01' };
    }
    values.set(name, result);
    return result;
  };

  const results: QueryChecked[] = [];
  for (const query of queries.values()) {
    try {
      const sql = await expand(query, []);
      const { n } = await db.one<{ n: bigint }>(`SELECT count(*) AS n FROM (\n${sql}\n)`);
      results.push({ page: `reports/${page}`, query: query.query, rows: Number(n) });
    } catch (error) {
      results.push({ page: `reports/${page}`, query: query.query, error: (error as Error).message });
    }
  }
  return results;
}

function fail(message: string): never {
  throw new Error(message);
}
