/**
 * The configuration's `sources:` checked against the catalog: every key names a known entity
 * and every mapped column is one of its contract's. Errors carry the setting's path, like the
 * configuration's own (`sources.finance.gl_entries.columns.entry: ...`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { DatabasePresetSchema, type ConfiguredDatabaseSource, type DatabasePreset, type DatabaseSource } from '../../config/sources.ts';
import { entities } from '../catalog.ts';
import type { EntityContract } from '../contract.ts';

/** A source's settings with its preset applied. */
export type SourceSettings = { kind: 'file' } | DatabaseSource;

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
    if (settings.kind === 'file') {
      found.push({ contract, settings, path });
      continue;
    }
    const resolved = withPreset(name, settings, path, problems);
    if (resolved) {
      const columns = Object.keys(contract.schema.shape);
      for (const column of Object.keys(resolved.columns)) {
        if (!columns.includes(column)) problems.push(`  ${path}.columns.${column}: not a column of ${name} (its columns: ${columns.join(', ')})`);
      }
      const mapped = Object.values(resolved.columns);
      const twice = mapped.find((c, i) => mapped.indexOf(c) !== i);
      if (twice) problems.push(`  ${path}.columns: database column ${twice} is mapped twice`);
      found.push({ contract, settings: resolved, path });
    }
  }
  if (problems.length > 0) throw new ConfigError(`configuration is invalid:\n${problems.join('\n')}`);
  return found.filter((s) => s.settings.kind !== 'file');
}

/** The configured source of one entity, or null when it is read from files. */
export function sourceOf(config: Pick<Config, 'sources'>, contract: EntityContract): ConfiguredSource | null {
  return configuredSources(config).find((s) => s.contract === contract) ?? null;
}

const PRESETS = fileURLToPath(new URL('./database/presets/', import.meta.url));

/** The names of the database presets (the YAML files in database/presets/). */
export function databasePresets(): string[] {
  return existsSync(PRESETS) ? readdirSync(PRESETS).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort() : [];
}

export function loadDatabasePreset(name: string): DatabasePreset {
  const file = `${PRESETS}${name}.yaml`;
  const result = DatabasePresetSchema.safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!result.success) {
    throw new ConfigError(`preset ${file} is invalid:\n${result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return result.data;
}

/** The settings with the preset's table, columns and incremental under them (the configuration's own win). */
function withPreset(name: string, settings: ConfiguredDatabaseSource, path: string, problems: string[]): DatabaseSource | null {
  if (!settings.preset) {
    if (!settings.table) {
      problems.push(`  ${path}.table: required (or name a preset that gives it)`);
      return null;
    }
    return { ...settings, table: settings.table };
  }
  if (!databasePresets().includes(settings.preset)) {
    problems.push(`  ${path}.preset: unknown preset ${settings.preset}; available: ${databasePresets().join(', ') || '(none)'}`);
    return null;
  }
  const preset = loadDatabasePreset(settings.preset).entities[name];
  if (!preset) {
    problems.push(`  ${path}.preset: preset ${settings.preset} has no ${name}`);
    return null;
  }
  return {
    ...settings,
    table: settings.table ?? preset.table,
    columns: { ...preset.columns, ...settings.columns },
    incremental: settings.incremental ?? preset.incremental,
  };
}
