/**
 * Before/after comparison of two independent samples (METRICS.md §7): Welch's t-test for the
 * difference of means (no equal-variance assumption), the relative change with Fieller's
 * interval from that same test, and Cohen's d as the effect size.
 *
 * One test decides everything a row says: the absolute interval, the relative interval and the
 * p-value all come from Welch's statistic with the same degrees of freedom, so "significant"
 * (p < 0.05) and "the interval excludes no change" can never disagree. (The delta-method
 * interval of a/b − 1 used before disagreed with the p-value in about 1.4% of rows and could
 * fall below −100% for a KPI that cannot go negative.)
 */
import tcdf from '@stdlib/stats-base-dists-t-cdf';
import tquantile from '@stdlib/stats-base-dists-t-quantile';

export interface Summary {
  n: number;
  mean: number;
  /** sample variance (n − 1) */
  variance: number;
}

export function summarise(values: ArrayLike<number>): Summary {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return { n, mean, variance: n > 1 ? ss / (n - 1) : NaN };
}

export interface Comparison {
  before: number;
  after: number;
  absChange: number;
  absLow: number;
  absHigh: number;
  relChange: number | null;
  relLow: number | null;
  relHigh: number | null;
  pValue: number;
  /** Cohen's d with the pooled standard deviation */
  effectSize: number;
  /** standard error of the difference, with the degrees of freedom of its t test */
  se: number;
  df: number;
}

/**
 * Fieller's interval for the ratio ρ = a / b of two means (variances of the means va, vb,
 * covariance `cov`, 0 for independent samples): every ρ for which a − ρb = 0 passes the t-test,
 * |a − ρb| ≤ t √(va − 2ρ·cov + ρ² vb). At ρ = 1 that is the test of a − b with variance
 * va + vb − 2cov, so 1 lies outside exactly when the difference is significant.
 * Bounded when b is itself clearly non-zero (b² > t² vb), else null. Cut to ρ ≥ 0, where a
 * ratio of non-negative means lies (a confidence set intersected with the parameter space
 * keeps its coverage), so a relative change never reads below −100%.
 */
export function fiellerInterval(a: number, va: number, b: number, vb: number, t: number, cov = 0): { low: number; high: number } | null {
  const t2 = t * t;
  const A = b * b - t2 * vb;
  if (!(A > 0)) return null;
  // the roots of (a − ρb)² − t²(va − 2ρ·cov + ρ² vb) = 0; the discriminant, expanded, is this
  const discriminant = t2 * (a * a * vb + b * b * va - 2 * a * b * cov - t2 * (va * vb - cov * cov));
  const root = Math.sqrt(Math.max(0, discriminant));
  const centre = a * b - t2 * cov;
  const low = (centre - root) / A;
  const high = (centre + root) / A;
  return { low: Math.max(0, low), high: Math.max(0, high) };
}

/** Welch–Satterthwaite degrees of freedom for two variance-of-mean terms. */
export function welchDf(a: number, b: number, nA: number, nB: number): number {
  return (a + b) ** 2 / (a ** 2 / (nA - 1) + b ** 2 / (nB - 1));
}

export function twoSidedP(t: number, df: number): number {
  return 2 * (1 - tcdf(Math.abs(t), df));
}

export function tCritical(df: number, level = 0.95): number {
  return tquantile(1 - (1 - level) / 2, df);
}

/**
 * after − before, with a 95% Welch interval; null when either side has fewer than 2 values.
 * The relative change gets an interval only for a KPI that cannot go negative (`nonNegative`),
 * whose ratio lives in [0, ∞): Fieller's interval cut to that range. Otherwise, and when the
 * before mean is too uncertain to divide by (the interval would be unbounded), it is null.
 */
export function welchCompare(before: Summary, after: Summary, options: { nonNegative?: boolean } = {}): Comparison | null {
  if (before.n < 2 || after.n < 2) return null;
  const vb = before.variance / before.n;
  const va = after.variance / after.n;
  const se = Math.sqrt(va + vb);
  const diff = after.mean - before.mean;
  const df = se === 0 ? before.n + after.n - 2 : welchDf(va, vb, after.n, before.n);
  const t = tCritical(df);
  const pooled = Math.sqrt(((before.n - 1) * before.variance + (after.n - 1) * after.variance) / (before.n + after.n - 2));
  const ratio = before.mean === 0 ? null : after.mean / before.mean;
  const interval = options.nonNegative && se > 0 ? fiellerInterval(after.mean, va, before.mean, vb, t) : null;
  return {
    before: before.mean,
    after: after.mean,
    absChange: diff,
    absLow: diff - t * se,
    absHigh: diff + t * se,
    relChange: ratio === null ? null : ratio - 1,
    relLow: interval === null ? null : interval.low - 1,
    relHigh: interval === null ? null : interval.high - 1,
    pValue: se === 0 ? (diff === 0 ? 1 : 0) : twoSidedP(diff / se, df),
    effectSize: pooled === 0 ? 0 : diff / pooled,
    se,
    df,
  };
}

/**
 * Difference-in-differences: (treated after − before) − (control after − before), with the
 * variance the sum of the four variance-of-mean terms (independent samples). The relative
 * effect divides by the treated group's before mean.
 */
export function differenceInDifferences(treated: [Summary, Summary], control: [Summary, Summary]) {
  const parts = [...treated, ...control];
  if (parts.some((s) => s.n < 2)) return null;
  const [tb, ta] = treated;
  const [cb, ca] = control;
  const effect = ta.mean - tb.mean - (ca.mean - cb.mean);
  const terms = parts.map((s) => s.variance / s.n);
  const se = Math.sqrt(terms.reduce((s, v) => s + v, 0));
  // Conservative df: the smallest group's n − 1 keeps the interval honest for small cells.
  const df = Math.max(1, Math.min(...parts.map((s) => s.n)) - 1);
  const t = tCritical(df);
  return {
    effect,
    low: effect - t * se,
    high: effect + t * se,
    relEffect: tb.mean === 0 ? null : effect / tb.mean,
    relLow: tb.mean === 0 ? null : (effect - t * se) / tb.mean,
    relHigh: tb.mean === 0 ? null : (effect + t * se) / tb.mean,
    pValue: se === 0 ? (effect === 0 ? 1 : 0) : twoSidedP(effect / se, df),
    se,
    df,
  };
}
