/**
 * Interrupted time series (METRICS.md §7): a segmented regression on a monthly series,
 *   y_t = β0 + β1·t + β2·post_t + β3·(t − t0)·post_t + ε,
 * so a pre-existing trend (β1) is not sold as a CRM effect: β2 is the level change at go-live
 * and β3 the change of slope after it. Least squares as in ols.ts, with standard errors that
 * allow for the overlap of a trailing-window series' months.
 */
import { coefficientP, ols } from './ols.ts';
import { tCritical } from './welch.ts';

export interface SegmentedFit {
  /** index of the first month after the break */
  breakAt: number;
  intercept: number;
  trend: number;
  levelChange: number;
  levelLow: number;
  levelHigh: number;
  levelP: number;
  /** standard error of the level change, with the degrees of freedom of its t test */
  levelSe: number;
  df: number;
  slopeChange: number;
  slopeP: number;
  fitted: number[];
}

/**
 * `y[i]` is month i; months at index ≥ `breakAt` are after go-live. Months with NaN (no data,
 * or a ramp-up being excluded) are left out of the fit but still get a fitted value.
 */
export function segmentedRegression(y: readonly number[], breakAt: number, options: { windowMonths?: number } = {}): SegmentedFit | null {
  const row = (t: number) => [1, t, t >= breakAt ? 1 : 0, t >= breakAt ? t - breakAt : 0];
  const used = y.map((v, t) => [v, t] as const).filter(([v]) => Number.isFinite(v));
  const before = used.filter(([, t]) => t < breakAt).length;
  const after = used.length - before;
  if (before < 3 || after < 3) return null;
  const fit = ols(used.map(([, t]) => row(t)), used.map(([v]) => v), used.map(([, t]) => t), options);
  const { beta, se } = fit;
  const t = tCritical(fit.df);
  return {
    breakAt,
    intercept: beta[0]!,
    trend: beta[1]!,
    levelChange: beta[2]!,
    levelLow: beta[2]! - t * se[2]!,
    levelHigh: beta[2]! + t * se[2]!,
    levelP: coefficientP(fit, 2),
    levelSe: se[2]!,
    df: fit.df,
    slopeChange: beta[3]!,
    slopeP: coefficientP(fit, 3),
    fitted: y.map((_, i) => row(i).reduce((s, x, j) => s + x * beta[j]!, 0)),
  };
}
