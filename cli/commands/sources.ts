/**
 * `crm-eval sources check`: connects to every configured source, checks that it authenticates
 * and that each entity's mapping finds its fields, and prints one row per entity (a
 * connector's "check connection"). Exit code 1 when any source is not ready.
 */
import Table from 'cli-table3';
import { loadConfig } from '../../config/load.ts';
import type { CheckResult } from '../../sources/connectors/connector.ts';
import { openConnector } from '../../sources/connectors/registry.ts';
import { redact } from '../../sources/connectors/secrets.ts';
import { configuredSources } from '../../sources/connectors/settings.ts';

export interface SourcesCheckRow {
  entity: string;
  kind: string;
  target: string;
  ok: boolean;
  check: CheckResult;
}

/** Checks every configured source; never throws for a source that fails (its row says why). */
export async function checkSources(config: Parameters<typeof configuredSources>[0], env: NodeJS.ProcessEnv = process.env): Promise<SourcesCheckRow[]> {
  const rows: SourcesCheckRow[] = [];
  for (const source of configuredSources(config)) {
    const entity = `${source.contract.source}.${source.contract.entity}`;
    const secrets = secretsOf(source.settings, env);
    try {
      const connector = openConnector(source, env);
      try {
        const check = await connector.check();
        rows.push({ entity, kind: source.settings.kind, target: connector.target, ok: check.connected && check.error === null && check.missing.length === 0, check });
      } finally {
        await connector.close();
      }
    } catch (error) {
      const check: CheckResult = { connected: false, found: [], missing: [], missingOptional: [], approxRows: null, error: redact((error as Error).message, secrets) };
      rows.push({ entity, kind: source.settings.kind, target: '', ok: false, check });
    }
  }
  return rows;
}

/** The values of the environment variables a source's settings name, to keep out of messages. */
function secretsOf(settings: ReturnType<typeof configuredSources>[number]['settings'], env: NodeJS.ProcessEnv): string[] {
  const names =
    settings.kind === 'database'
      ? [settings.password_env]
      : settings.kind === 'http'
        ? [settings.auth.type === 'bearer' ? settings.auth.token_env : settings.auth.type === 'api_key' ? settings.auth.key_env : settings.auth.type === 'basic' ? settings.auth.password_env : undefined]
        : [];
  return names.flatMap((name) => (name && env[name] ? [env[name]] : []));
}

export async function sourcesCheckCommand(flags: { config?: string }): Promise<void> {
  const { config, file } = loadConfig(flags.config);
  const rows = await checkSources(config);
  if (rows.length === 0) {
    console.log(`No sources configured in ${file ?? '(defaults)'}: every entity is read from files (<data>/<source>/<entity>.csv|parquet|jsonl).`);
    return;
  }
  const table = new Table({
    head: ['entity', 'kind', 'target', 'auth', 'fields found', 'missing', 'rows (approx)', 'status'],
    colAligns: ['left', 'left', 'left', 'left', 'right', 'left', 'right', 'left'],
    style: { head: [], border: [], compact: true },
  });
  for (const r of rows) {
    const missing = [...r.check.missing, ...r.check.missingOptional.map((m) => `${m} (optional)`)];
    table.push([
      r.entity,
      r.kind,
      r.target,
      r.check.connected ? 'ok' : 'FAILED',
      String(r.check.found.length),
      missing.length > 0 ? missing.join(', ') : '-',
      r.check.approxRows === null ? '?' : r.check.approxRows.toLocaleString('en-US'),
      r.ok ? ['ok', ...(r.check.notes ?? [])].join('; ') : `FAIL${r.check.error ? `: ${r.check.error}` : ''}`,
    ]);
  }
  console.log(table.toString());
  const failed = rows.filter((r) => !r.ok).length;
  console.log(failed === 0 ? `${rows.length} source(s) ready; other entities are read from files.` : `${failed} of ${rows.length} source(s) not ready.`);
  if (failed > 0) process.exitCode = 1;
}
