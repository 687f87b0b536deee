/** `crm-eval reports build|check|dev|serve`: the report site from the published snapshot, a fast check of its SQL, live editing and a local preview. */
import { loadConfig } from '../../config/load.ts';
import { buildSite } from '../../reports/evidence/build-site.ts';
import { checkPages } from '../../reports/evidence/check-pages.ts';
import { startDevServer } from '../../reports/evidence/dev-server.ts';
import { serveSite } from '../../reports/evidence/serve.ts';
import { publishedPath } from '../../warehouse/publish.ts';

export interface ReportsFlags {
  warehouse: string;
  out: string;
  config?: string;
  port?: number;
}

export async function reportsBuildCommand(flags: ReportsFlags): Promise<void> {
  const { config } = loadConfig(flags.config);
  const snapshot = publishedPath(flags.warehouse);
  console.log(`Building the report site from ${snapshot} (language ${config.language}) …`);
  const built = await buildSite({
    snapshot,
    out: flags.out,
    language: config.language,
    currency: config.currency,
    onLine: process.stdout.isTTY ? (line) => console.log(`  ${line}`) : undefined,
  });
  console.log(`Report site: ${built.pages.length} pages, ${built.tables.length} marts, ${built.seconds.toFixed(1)} s → ${built.out}`);
  console.log(`Preview it with: npx crm-eval reports serve`);
}

export async function reportsServeCommand(flags: ReportsFlags): Promise<void> {
  const served = await serveSite(flags.out, flags.port ?? 3000);
  console.log(`Serving ${flags.out} at ${served.url} (Ctrl-C to stop)`);
  const stop = () => void served.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function reportsCheckCommand(pages: string[], flags: Pick<ReportsFlags, 'warehouse' | 'config'>): Promise<void> {
  const { config } = loadConfig(flags.config);
  const started = Date.now();
  const results = await checkPages({ snapshot: publishedPath(flags.warehouse), language: config.language, currency: config.currency, pages });
  for (const r of results) {
    console.log(r.error === undefined ? `ok     ${r.page}  ${r.query}  (${r.rows} rows)` : `ERROR  ${r.page}  query "${r.query}": ${r.error}`);
  }
  const failed = results.filter((r) => r.error !== undefined);
  const pagesChecked = new Set(results.map((r) => r.page)).size;
  console.log(`${results.length} queries on ${pagesChecked} pages, ${failed.length} failed, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (failed.length > 0) process.exitCode = 1;
}

export async function reportsDevCommand(flags: Pick<ReportsFlags, 'warehouse' | 'config' | 'port'>): Promise<void> {
  const { config } = loadConfig(flags.config);
  const snapshot = publishedPath(flags.warehouse);
  console.log(`Starting Evidence's dev server over ${snapshot} (language ${config.language}) …`);
  const dev = await startDevServer({ snapshot, language: config.language, currency: config.currency, port: flags.port, onLine: (line) => console.log(`  ${line}`) });
  console.log(`Dev server at ${dev.url}: edit reports/*.md and the page follows (Ctrl-C to stop)`);
  const stop = () => void dev.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
