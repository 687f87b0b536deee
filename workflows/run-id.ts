/**
 * What a run id may be. A run id is the Temporal workflow id, the load id of every row a run
 * loads, a key of meta.runs and part of file names in logs, so it is checked once, where it
 * enters (the CLI, the worker's recordRunStart, the Temporal start input), against one
 * documented character set:
 *
 *   a letter or digit, then up to 199 of letters, digits and `. _ : @ + -`
 *
 * which accepts every id the project makes (`run-20261122T120000Z-3f9a`,
 * `crm-eval-nightly-2026-11-22T02:00:00Z`, a backfill chunk `<run id>@2024-01-01`, ...) and no
 * quote, space, slash, backslash, semicolon or control character.
 *
 * Pure (no Node imports): workflow code may import it.
 */

export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,199}$/;

/** The rule in words, for messages and documentation. */
export const RUN_ID_RULE =
  'a letter or digit followed by at most 199 letters, digits or . _ : @ + - (no spaces, quotes, slashes or semicolons)';

export class InvalidRunIdError extends Error {
  override name = 'InvalidRunIdError';
  /** a usage error: the CLI exits 2, Temporal does not retry it */
  readonly exitCode = 2;
  readonly nonRetryable = true;
}

export function isValidRunId(value: unknown): value is string {
  return typeof value === 'string' && RUN_ID_PATTERN.test(value);
}

/** Returns the run id unchanged, or throws InvalidRunIdError saying what is allowed. */
export function validateRunId(value: unknown, what = 'run id'): string {
  if (isValidRunId(value)) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value) : String(value);
  throw new InvalidRunIdError(`invalid ${what} ${shown}: expected ${RUN_ID_RULE}`);
}
