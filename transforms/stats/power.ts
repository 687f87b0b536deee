/**
 * Minimum detectable effect (MDE): the smallest true change a test with this standard error
 * would call significant (two-sided, α = 0.05) with 80% probability. Without it a "not
 * significant" row cannot tell "no effect" from "too few data to see one".
 *
 * The two-sample t approximation: the test rejects when |d̂| / SE > t₁₋α/₂; if the true change
 * is δ, d̂ / SE is roughly a t variable centred at δ / SE, so P(reject) ≈ P(T > t₁₋α/₂ − δ / SE)
 * (the far tail ignored), which is the power when δ = (t₁₋α/₂ + t_power) · SE. With many degrees
 * of freedom that is the textbook 2.80 standard errors. The shifted central t stands in for the
 * noncentral t; test/transforms/stats/power.test.ts checks by simulation that a Welch test
 * detects a change of exactly this size about 80% of the time.
 */
import tquantile from '@stdlib/stats-base-dists-t-quantile';
import { tCritical } from './welch.ts';

export function minimumDetectableEffect(se: number, df: number, options: { alpha?: number; power?: number } = {}): number {
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  return (tCritical(df, 1 - alpha) + tquantile(power, df)) * se;
}
