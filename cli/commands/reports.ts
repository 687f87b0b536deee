/** `crm-eval reports build|serve`: the report site from the published snapshot, and a local preview. */
import { loadConfig } from '../../config/load.ts';
import { buildSite } from '../../reports/evidence/build-site.ts';
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
