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
  const lines = result.error.issues.flatMap(issueLines);
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
function issueLines(issue: z.core.$ZodIssue): string[] {
  if (issue.code !== 'unrecognized_keys') return [`  ${formatPath(issue.path)}: ${issue.message}`];
  return issue.keys.map((key) => `  ${formatPath([...issue.path, key])}: ${unknownKeyMessage(ConfigSchema, issue.path, key)}`);
}

function formatPath(path: PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

