/**
 * Intervals for the satisfaction rates (METRICS.md §2): Wilson for proportions, and the
 * standard error of the promoter − detractor difference for NPS.
 */

/** z for a two-sided 95% interval */
export const Z95 = 1.959963984540054;

/** A cell with fewer responses than this is flagged (not hidden) in the marts. */
export const SMALL_SAMPLE = 30;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for `successes` out of `n` (fractions 0..1). Unlike the normal
 * approximation it stays inside 0..1 and behaves at small n and at 0% or 100%.
 */
export function wilson(successes: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // The interval always contains p; min/max only undo rounding at p = 0 or 1.
  return { low: Math.max(0, Math.min(p, centre - half)), high: Math.min(1, Math.max(p, centre + half)) };
}

/**
 * NPS in points (−100..100) with a 95% interval. With p = share of promoters and d = share of
 * detractors among n answers, Var(p − d) = (p + d − (p − d)²) / n (multinomial), so
 * NPS ± z·100·√Var, clipped to −100..100.
 */
export function npsInterval(promoters: number, detractors: number, n: number, z = Z95): { nps: number; low: number; high: number } | null {
  if (n <= 0) return null;
  const p = promoters / n;
  const d = detractors / n;
  const nps = (p - d) * 100;
  const se = Math.sqrt(Math.max(0, p + d - (p - d) ** 2) / n) * 100;
  return { nps, low: Math.max(-100, nps - z * se), high: Math.min(100, nps + z * se) };
}
