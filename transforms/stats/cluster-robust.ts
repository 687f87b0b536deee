/**
 * Before/after and difference-in-differences with cluster-robust (CR1) standard errors, the
 * cluster being the customer (METRICS.md §7). A customer answers many surveys and opens many
 * tickets, and the same customer is observed before and after go-live: observations are not
 * independent, so Welch's variance (stats/welch.ts), which counts each one as new information,
 * is too small when a customer's observations move together and ignores the before/after
 * covariance of customers seen in both periods.
 *
 * The estimate is still the difference of means, the coefficient of `after` in
 * y = α + β·after (and of treated × after in the difference-in-differences regression); its
 * sandwich variance sums, over customers, the square of each one's influence on it. For the mean
 * ȳ of a cell of n observations a customer g's influence is r_g / n, with r_g = Σ_{i ∈ g} (y_i − ȳ)
 * its summed deviation; so everything needed is, per group, the number of customers G and
 * Σ r_g,before², Σ r_g,after² and Σ r_g,before · r_g,after, which SQL aggregates per customer
 * compute in bounded memory (marts/_case-study.ts periodSummaries). CR1 scales the sum by
 * G/(G − 1) · (N − 1)/(N − K) (K coefficients) and the t test has G − 1 degrees of freedom.
 * With one observation per customer and period and nobody in both, it is Welch's variance
 * (times the CR1 factor, N/(N − 2) then).
 *
 * One test decides everything a row says, as in welch.ts: the absolute interval, Fieller's
 * relative interval (with the before/after covariance) and the p-value share the standard error
 * and the degrees of freedom, so the verdict and the interval cannot disagree.
 */
import { fiellerInterval, tCritical, twoSidedP, type Comparison, type Summary } from './welch.ts';

/** The sums the cluster-robust variance of a group's before/after difference needs. */
export interface ClusterMoments {
  /** customers with an observation in either period */
  clusters: number;
  /** Σ over customers of r², r = the customer's summed deviation from its period's mean */
  before: number;
  after: number;
  /** Σ over customers of r_before · r_after (0 for a customer seen in one period only) */
  cross: number;
}

/** One group's before and after cells with its cluster moments. */
export interface ClusteredPeriods {
  before: Summary;
  after: Summary;
  clusters: ClusterMoments;
}

/** Σ of squared influences on after − before, before the CR1 factor. */
function rawVariance({ before, after, clusters: m }: ClusteredPeriods): { vb: number; va: number; cov: number } {
  return { vb: m.before / before.n ** 2, va: m.after / after.n ** 2, cov: m.cross / (before.n * after.n) };
}

/** CR1's small-sample factor for G clusters, N observations and K coefficients. */
export const cr1 = (clusters: number, n: number, k: number) => (clusters / (clusters - 1)) * ((n - 1) / (n - k));

/**
 * after − before of one group, with a 95% interval from the cluster-robust variance; null with
 * fewer than 2 observations a side or fewer than 2 customers. As welchCompare: the relative
 * change gets Fieller's interval (with the covariance) only for a KPI that cannot go negative.
 */
export function clusteredCompare(p: ClusteredPeriods, options: { nonNegative?: boolean } = {}): Comparison | null {
  const { before, after, clusters: m } = p;
  if (before.n < 2 || after.n < 2 || m.clusters < 2) return null;
  const c = cr1(m.clusters, before.n + after.n, 2);
  const raw = rawVariance(p);
  const [vb, va, cov] = [c * raw.vb, c * raw.va, c * raw.cov];
  const se = Math.sqrt(Math.max(0, va + vb - 2 * cov));
  const diff = after.mean - before.mean;
  const df = m.clusters - 1;
  const t = tCritical(df);
  const pooled = Math.sqrt(((before.n - 1) * before.variance + (after.n - 1) * after.variance) / (before.n + after.n - 2));
  const ratio = before.mean === 0 ? null : after.mean / before.mean;
  const interval = options.nonNegative && se > 0 ? fiellerInterval(after.mean, va, before.mean, vb, t, cov) : null;
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
    effectSize: pooled === 0 || !Number.isFinite(pooled) ? 0 : diff / pooled,
    se,
    df,
  };
}

/**
 * (treated after − before) − (control after − before), clustered by customer. A customer
 * belongs to one group, so the two groups' influences never meet in a customer and the variance
 * is the sum of theirs, with CR1 over all customers (K = 4). Degrees of freedom: the smaller
 * group's customers − 1, the conservative choice when the control group is small. The relative
 * effect divides by the treated group's before mean.
 */
export function clusteredDifferenceInDifferences(treated: ClusteredPeriods, control: ClusteredPeriods) {
  const groups = [treated, control];
  if (groups.some((g) => g.before.n < 2 || g.after.n < 2 || g.clusters.clusters < 2)) return null;
  const n = groups.reduce((s, g) => s + g.before.n + g.after.n, 0);
  const c = cr1(treated.clusters.clusters + control.clusters.clusters, n, 4);
  const variance = groups.reduce((s, g) => {
    const raw = rawVariance(g);
    return s + raw.va + raw.vb - 2 * raw.cov;
  }, 0);
  const se = Math.sqrt(Math.max(0, c * variance));
  const effect = treated.after.mean - treated.before.mean - (control.after.mean - control.before.mean);
  const df = Math.min(treated.clusters.clusters, control.clusters.clusters) - 1;
  const t = tCritical(df);
  const base = treated.before.mean;
  return {
    effect,
    low: effect - t * se,
    high: effect + t * se,
    relEffect: base === 0 ? null : effect / base,
    relLow: base === 0 ? null : (effect - t * se) / base,
    relHigh: base === 0 ? null : (effect + t * se) / base,
    pValue: se === 0 ? (effect === 0 ? 1 : 0) : twoSidedP(effect / se, df),
    se,
    df,
  };
}
