/** Reads and validates the configuration file; reports every bad value with its path. */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

import type { z } from 'zod';
import { ConfigSchema, type Config } from './schema.ts';
import { unknownKeyMessage } from './unknown-keys.ts';

export const DEFAULT_CONFIG_FILE = 'crm-eval.config.yaml';

export class ConfigError extends Error {
  override name = 'ConfigError';
  /** the process exit code for a usage error */
  readonly exitCode = 2;
}

/** Validates a parsed configuration object; `origin` names it in errors. */
export function parseConfig(input: unknown, origin = 'configuration'): Config {
  const result = ConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.flatMap((issue) => issueLines(issue, input));
  throw new ConfigError(`${origin} is invalid:\n${lines.join('\n')}`);
}

/**
 * Loads `file` (YAML or JSON). With no file given, uses `crm-eval.config.yaml` in the working
 * directory when present and the defaults otherwise.
 */
export function loadConfig(file?: string): { config: Config; file: string | null } {
  const path = file ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : null);
  if (!path) return { config: parseConfig({}), file: null };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read configuration file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
  return { config: parseConfig(parsed, path), file: path };
}

/** One line per problem; an unknown key gets its own line with its full path and a suggestion. */
function issueLines(issue: z.core.$ZodIssue, input: unknown): string[] {
  if (issue.code !== 'unrecognized_keys') return [`  ${formatPath(issue.path, input)}: ${issue.message}`];
  return issue.keys.map((key) => `  ${formatPath([...issue.path, key], input)}: ${unknownKeyMessage(ConfigSchema, issue.path, key)}`);
}

/** `rollout[north].go_live` rather than `rollout.1.go_live`: a wave is named by its name where it has one. */
function formatPath(path: PropertyKey[], input: unknown): string {
  if (path.length === 0) return '(root)';
  const [head, index, ...rest] = path;
  const waves = (input as { rollout?: unknown } | null)?.rollout;
  const name = head === 'rollout' && typeof index === 'number' && Array.isArray(waves) ? (waves[index] as { name?: unknown } | undefined)?.name : undefined;
  if (typeof name === 'string' && name !== '') return [`rollout[${name}]`, ...rest.map(String)].join('.');
  return path.map(String).join('.');
}

