/**
 * The configuration's `sources:` checked against the catalog: every key names a known entity
 * and every mapped column is one of its contract's. Errors carry the setting's path, like the
 * configuration's own (`sources.finance.gl_entries.columns.entry: ...`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../../config/load.ts';
import { provides, type Config } from '../../config/schema.ts';
import { HttpPresetSchema, type ConfiguredHttpSource, type HttpPreset, type HttpSource } from '../../config/http-source.ts';
import { DatabasePresetSchema, type ConfiguredDatabaseSource, type DatabasePreset, type DatabaseSource } from '../../config/sources.ts';
import { entities } from '../catalog.ts';
import type { EntityContract } from '../contract.ts';

/** A source's settings with its preset applied. */
export type SourceSettings = { kind: 'file' } | DatabaseSource | HttpSource;

export interface ConfiguredSource {
  contract: EntityContract;
  settings: SourceSettings;
  /** `sources.finance.gl_entries`: where the settings are in the configuration */
  path: string;
}

/** Every entity the configuration gives a source other than files, checked; throws a ConfigError listing every problem. */
export function configuredSources(config: Pick<Config, 'sources'> & Partial<Pick<Config, 'sources_provided'>>): ConfiguredSource[] {
  const problems: string[] = [];
  const found: ConfiguredSource[] = [];
  for (const [name, settings] of Object.entries(config.sources ?? {})) {
    const path = `sources.${name}`;
    const contract = entities.find((e) => `${e.source}.${e.entity}` === name);
    if (!contract) {
      problems.push(`  ${path}: unknown entity; expected one of ${entities.map((e) => `${e.source}.${e.entity}`).join(', ')}`);
      continue;
    }
    // a connector for a source the company says it does not deliver: one of the two settings is wrong
    if (!provides(config, contract.source)) {
      problems.push(`  ${path}: ${contract.source} is not in sources_provided; add it there, or remove this source`);
      continue;
    }
    if (settings.kind === 'file') {
      found.push({ contract, settings, path });
      continue;
    }
    if (settings.kind === 'http') {
      const resolved = withHttpPreset(name, settings, path, problems);
      if (resolved) {
        checkMappedColumns(contract, name, path, resolved.fields, 'field', problems);
        found.push({ contract, settings: resolved, path });
      }
      continue;
    }
    const resolved = withPreset(name, settings, path, problems);
    if (resolved) {
      checkMappedColumns(contract, name, path, resolved.columns, 'column', problems);
      const mapped = Object.values(resolved.columns);
      const twice = mapped.find((c, i) => mapped.indexOf(c) !== i);
      if (twice) problems.push(`  ${path}.columns: database column ${twice} is mapped twice`);
      found.push({ contract, settings: resolved, path });
    }
  }
  if (problems.length > 0) throw new ConfigError(`configuration is invalid:\n${problems.join('\n')}`);
  return found.filter((s) => s.settings.kind !== 'file');
}

/** Every key of a mapping (columns:, fields:) must be a column of the entity's contract. */
function checkMappedColumns(contract: EntityContract, name: string, path: string, mapping: Record<string, unknown>, what: 'column' | 'field', problems: string[]): void {
  const columns = Object.keys(contract.schema.shape);
  for (const column of Object.keys(mapping)) {
    if (!columns.includes(column)) problems.push(`  ${path}.${what === 'column' ? 'columns' : 'fields'}.${column}: not a column of ${name} (its columns: ${columns.join(', ')})`);
  }
}

/** The configured source of one entity, or null when it is read from files. */
export function sourceOf(config: Pick<Config, 'sources'>, contract: EntityContract): ConfiguredSource | null {
  return configuredSources(config).find((s) => s.contract === contract) ?? null;
}

const PRESETS = { database: fileURLToPath(new URL('./database/presets/', import.meta.url)), http: fileURLToPath(new URL('./http/presets/', import.meta.url)) };

/** The names of the presets of a kind of source (the YAML files in <kind>/presets/). */
export function presetNames(kind: keyof typeof PRESETS): string[] {
  const dir = PRESETS[kind];
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort() : [];
}

export const databasePresets = () => presetNames('database');

function loadPreset<T>(kind: keyof typeof PRESETS, name: string, schema: z.ZodType<T>): T {
  const file = `${PRESETS[kind]}${name}.yaml`;
  const result = schema.safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!result.success) {
    throw new ConfigError(`preset ${file} is invalid:\n${result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return result.data;
}

export const loadDatabasePreset = (name: string): DatabasePreset => loadPreset('database', name, DatabasePresetSchema);
export const loadHttpPreset = (name: string): HttpPreset => loadPreset('http', name, HttpPresetSchema);

/** The settings with the preset's request, paginator, fields and incremental under them (the configuration's own win). */
function withHttpPreset(name: string, settings: ConfiguredHttpSource, path: string, problems: string[]): HttpSource | null {
  let preset: HttpPreset['entities'][string] | undefined;
  if (settings.preset) {
    if (!presetNames('http').includes(settings.preset)) {
      problems.push(`  ${path}.preset: unknown preset ${settings.preset}; available: ${presetNames('http').join(', ') || '(none)'}`);
      return null;
    }
    preset = loadHttpPreset(settings.preset).entities[name];
    if (!preset) {
      problems.push(`  ${path}.preset: preset ${settings.preset} has no ${name}; it has: ${Object.keys(loadHttpPreset(settings.preset).entities).join(', ')}`);
      return null;
    }
  }
  const request = settings.request ?? preset?.request;
  const records = settings.records ?? preset?.records;
  const paginator = settings.paginator ?? preset?.paginator;
  for (const [setting, value] of [['request', request], ['records', records], ['paginator', paginator]] as const) {
    if (value === undefined) problems.push(`  ${path}.${setting}: required (or name a preset that gives it)`);
  }
  if (!request || !records || !paginator) return null;
  const incremental = settings.incremental ?? preset?.incremental;
  if (paginator.type === 'search' && !incremental) problems.push(`  ${path}.incremental: the search paginator needs incremental.cursor_field (it pages by it)`);
  return { ...settings, request, records, paginator, fields: { ...preset?.fields, ...settings.fields }, ignore_fields: settings.ignore_fields ?? preset?.ignore_fields ?? [], incremental };
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
  if (!presetNames('database').includes(settings.preset)) {
    problems.push(`  ${path}.preset: unknown preset ${settings.preset}; available: ${presetNames('database').join(', ') || '(none)'}`);
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
