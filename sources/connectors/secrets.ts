/**
 * Secrets come only from environment variables named in the configuration, and never leave
 * the connector: every message a connector passes on (errors, check results) goes through
 * `redact`, so a driver that echoes a password cannot put it in a log, the load log or the site.
 */
import { ConfigError } from '../../config/load.ts';

/** The value of the environment variable `name`; `path` says which setting named it. */
export function readSecret(name: string, path: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigError(`${path}: the environment variable ${name} is not set (it should hold the secret)`);
  }
  return value;
}

/** `text` with every occurrence of each secret (and its URL-encoded form) replaced by ***. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}

/** An error whose message (and stack) no longer holds a secret; the original is not kept as its cause. */
export function redactedError(error: unknown, secrets: readonly string[], prefix = ''): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const message = redact(`${prefix}${original.message}`, secrets);
  const clean = new SourceError(message);
  clean.stack = redact(`${original.name}: ${message}\n${(original.stack ?? '').split('\n').slice(1).join('\n')}`, secrets);
  return clean;
}

/** A failure talking to a source (connection, query); retryable, unlike a LoadError or a ConfigError. */
export class SourceError extends Error {
  override name = 'SourceError';
}
