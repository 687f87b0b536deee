/**
 * Ordinary least squares on a monthly series, shared by the interrupted time series
 * (segmented-regression.ts) and the pre-trend check of the case study's robustness mart:
 * classical standard errors, or, for a series whose months share data, ones that allow for the
 * overlap. A trailing 12-month rate repeats 11/12 of last month's window, so its errors are
 * autocorrelated and classical standard errors would be several times too small.
 */
import { Matrix, inverse } from 'ml-matrix';
import { tCritical, twoSidedP } from './welch.ts';

export interface OlsFit {
  beta: number[];
  se: number[];
  df: number;
}

/**
 * `rows[i]` is the design row of month `months[i]` (its index in the series), `y[i]` its value;
 * `windowMonths` > 1 when each value is the mean of a trailing window of that many months.
 */
export function ols(rows: readonly number[][], y: readonly number[], months: readonly number[], options: { windowMonths?: number } = {}): OlsFit {
  const X = new Matrix(rows as number[][]);
  const Y = Matrix.columnVector(y as number[]);
  const Xt = X.transpose();
  const XtXinv = inverse(Xt.mmul(X));
  const beta = XtXinv.mmul(Xt).mmul(Y).getColumn(0);
  const residuals = rows.map((row, i) => y[i]! - row.reduce((s, x, j) => s + x * beta[j]!, 0));
  const df = rows.length - X.columns;
  const sigma2 = residuals.reduce((s, r) => s + r * r, 0) / df;
  const cov = options.windowMonths && options.windowMonths > 1 ? overlapping(months, X, residuals, XtXinv, options.windowMonths) : null;
  const se = beta.map((_, j) => Math.sqrt(cov ? cov.get(j, j) : sigma2 * XtXinv.get(j, j)));
  return { beta, se, df };
}

/** Two-sided p of coefficient j; a perfect fit (se 0) with a coefficient of exactly 0 is no change at all, not a certain one. */
export function coefficientP(fit: OlsFit, j: number): number {
  return fit.se[j] === 0 ? (fit.beta[j] === 0 ? 1 : 0) : twoSidedP(fit.beta[j]! / fit.se[j]!, fit.df);
}

export interface TrendFit {
  /** change per month */
  slope: number;
  low: number;
  high: number;
  pValue: number;
  se: number;
  df: number;
}

/** y = β0 + β1·t + ε over the months with a finite value (t = index); null with fewer than 3. */
export function linearTrend(y: readonly number[], options: { windowMonths?: number } = {}): TrendFit | null {
  const used = y.map((v, t) => [v, t] as const).filter(([v]) => Number.isFinite(v));
  if (used.length < 3) return null;
  const fit = ols(used.map(([, t]) => [1, t]), used.map(([v]) => v), used.map(([, t]) => t), options);
  const t = tCritical(fit.df);
  const slope = fit.beta[1]!;
  return { slope, low: slope - t * fit.se[1]!, high: slope + t * fit.se[1]!, pValue: coefficientP(fit, 1), se: fit.se[1]!, df: fit.df };
}

/**
 * Coefficient covariance when each month is the mean of a trailing `window`-month window: if
 * the months underneath contribute independent noise, months s and t share
 * max(0, 1 − |s − t| / window) of it, a correlation matrix R known from the design. Then
 * Cov(β) = σ² (X'X)⁻¹ X'RX (X'X)⁻¹, and σ² = e'e / tr(MR) (M = I − hat matrix) is unbiased
 * under that structure. Newey–West, which estimates the same correlations from the residuals,
 * is far too short of data at a few dozen months: on simulated trailing-12 noise its 95%
 * intervals covered a null level change about 30-45% of the time, these about 93-97%.
 */
function overlapping(months: readonly number[], X: Matrix, residuals: readonly number[], XtXinv: Matrix, window: number): Matrix {
  const n = months.length;
  const R = new Matrix(n, n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) R.set(a, b, Math.max(0, 1 - Math.abs(months[a]! - months[b]!) / window));
  const H = X.mmul(XtXinv).mmul(X.transpose());
  const M = Matrix.eye(n).sub(H);
  const trMR = M.mmul(R).trace();
  const sigma2 = residuals.reduce((s, r) => s + r * r, 0) / trMR;
  return XtXinv.mmul(X.transpose()).mmul(R).mmul(X).mmul(XtXinv).mul(sigma2);
}
