/**
 * The configuration's `sources:` checked against the catalog: every key names a known entity
 * and every mapped column is one of its contract's. Errors carry the setting's path, like the
 * configuration's own (`sources.finance.gl_entries.columns.entry: ...`).
 */
import { ConfigError } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import type { SourceSettings } from '../../config/sources.ts';
import { entities } from '../catalog.ts';
import type { EntityContract } from '../contract.ts';

export interface ConfiguredSource {
  contract: EntityContract;
  settings: SourceSettings;
  /** `sources.finance.gl_entries`: where the settings are in the configuration */
  path: string;
}

/** Every entity the configuration gives a source other than files, checked; throws a ConfigError listing every problem. */
export function configuredSources(config: Pick<Config, 'sources'>): ConfiguredSource[] {
  const problems: string[] = [];
  const found: ConfiguredSource[] = [];
  for (const [name, settings] of Object.entries(config.sources ?? {})) {
    const path = `sources.${name}`;
    const contract = entities.find((e) => `${e.source}.${e.entity}` === name);
    if (!contract) {
      problems.push(`  ${path}: unknown entity; expected one of ${entities.map((e) => `${e.source}.${e.entity}`).join(', ')}`);
      continue;
    }
    if (settings.kind === 'database') {
      const columns = Object.keys(contract.schema.shape);
      for (const column of Object.keys(settings.columns)) {
        if (!columns.includes(column)) problems.push(`  ${path}.columns.${column}: not a column of ${name} (its columns: ${columns.join(', ')})`);
      }
      const mapped = Object.values(settings.columns);
      const twice = mapped.find((c, i) => mapped.indexOf(c) !== i);
      if (twice) problems.push(`  ${path}.columns: database column ${twice} is mapped twice`);
    }
    found.push({ contract, settings, path });
  }
  if (problems.length > 0) throw new ConfigError(`configuration is invalid:\n${problems.join('\n')}`);
  return found.filter((s) => s.settings.kind !== 'file');
}

/** The configured source of one entity, or null when it is read from files. */
export function sourceOf(config: Pick<Config, 'sources'>, contract: EntityContract): ConfiguredSource | null {
  return configuredSources(config).find((s) => s.contract === contract) ?? null;
}
