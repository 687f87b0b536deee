/** Setting types the source kinds share: secrets' variable names, durations, preset names. */
import { z } from 'zod';

/** A POSIX-style environment variable name. */
export const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected the name of an environment variable, e.g. ERP_PASSWORD' });

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|seconds?|m|min|minutes?|h|hours?|d|days?)$/i;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** '5 minutes', '90s', '1 hour' → seconds; null when it is not a duration. */
export function durationSeconds(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_SECONDS[match[2]!.toLowerCase()[0]!]!;
}

export const duration = z
  .union([z.number().min(0), z.string()])
  .transform((value, ctx) => {
    const seconds = typeof value === 'number' ? value : durationSeconds(value);
    if (seconds === null) {
      ctx.addIssue({ code: 'custom', message: "expected a duration, e.g. '5 minutes', '90 seconds' or a number of seconds" });
      return z.NEVER;
    }
    return seconds;
  });

export const presetName = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected a preset name, e.g. reference-erp' });
