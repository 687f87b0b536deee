/** The named SQL blocks of report pages (```sql name ... ```), to say which page a failing query is on. */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface PageQuery {
  /** the page, relative to the pages folder */
  page: string;
  query: string;
  sql: string;
}

const SQL_BLOCK = /^```sql\s+([\w-]+)[^\n]*\n([\s\S]*?)^```/gm;

export function queriesOf(page: string, markdown: string): PageQuery[] {
  return [...markdown.matchAll(SQL_BLOCK)].map((m) => ({ page, query: m[1]!, sql: m[2]!.trim() }));
}

export function pageQueries(pagesDir: string): PageQuery[] {
  const found: PageQuery[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) found.push(...queriesOf(relative(pagesDir, path), readFileSync(path, 'utf8')));
    }
  };
  walk(pagesDir);
  return found;
}
