/**
 * The robustness checks of the case study (marts.case_study_robustness), as functions of the
 * same summaries, series and tests the case study uses (_case-study.ts, stats/cluster-robust.ts), so a
 * check cannot compare differently from the result it checks.
 *
 * - placebo in time: the before/after and difference-in-differences comparisons at a fake
 *   go-live inside the pre-period (PLACEBO_MONTHS_BEFORE). Nothing went live then, so a
 *   significant "effect" there is a trend, a season or a drift the real comparison also carries.
 * - placebo in space: the control group's own before/after at the real go-live: it had no CRM.
 * - pre-trend: the difference-in-differences assumes treated and control would have moved in
 *   parallel; the slope of (treated − control) over the pre-period months should be zero.
 * - minimum detectable effect: how large a change these data would see 80% of the time.
 */
import type { KpiDefinition } from './_kpis.ts';
import { minimumDetectableEffect } from '../stats/power.ts';
import { linearTrend } from '../stats/ols.ts';
import { holmByFamily } from '../stats/multiple-comparisons.ts';
import type { Comparison } from '../stats/welch.ts';

/**
 * Fake go-lives 6, 9 and 12 months before the real one: with the default 18-month pre-period
 * they split it 12 | 6, 9 | 9 and 6 | 12, each side at least 6 months, so both halves hold
 * several seasons' worth of months and neither is a sliver. A date whose split would leave a
 * side under 3 months (a shorter configured pre-period) is skipped (placeboWindows).
 */
export const PLACEBO_MONTHS_BEFORE = [6, 9, 12] as const;

export const CHECKS = ['placebo_time', 'placebo_space', 'pre_trend', 'mde'] as const;
export type Check = (typeof CHECKS)[number];
export const ROBUSTNESS_METHODS = ['before_after', 'difference_in_differences', 'interrupted_time_series'] as const;
export type Method = (typeof ROBUSTNESS_METHODS)[number];

export interface CheckResult {
  estimate_of: 'rel_change' | 'abs_change' | 'slope_per_month';
  estimate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  p_value: number | null;
  /** the case study's change the MDE is read against (mde rows only) */
  observed: number | null;
  /** mde rows only; placebo and pre-trend rows are flagged after the Holm adjustment */
  flagged: boolean | null;
  note: string;
}

/** A before/after or difference-in-differences result in the unit the case study reads the KPI in. */
export interface Change {
  estimate: number | null;
  low: number | null;
  high: number | null;
  pValue: number;
  se: number;
  df: number;
  /** divides an absolute change into the KPI's relative unit (the treated before mean) */
  base: number;
}

export function fromComparison(k: KpiDefinition, c: Comparison): Change {
  const relative = k.unit === 'relative';
  return {
    estimate: relative ? c.relChange : c.absChange,
    low: relative ? c.relLow : c.absLow,
    high: relative ? c.relHigh : c.absHigh,
    pValue: c.pValue,
    se: c.se,
    df: c.df,
    base: c.before,
  };
}

export function fromDid(
  k: KpiDefinition,
  did: { effect: number; low: number; high: number; relEffect: number | null; relLow: number | null; relHigh: number | null; pValue: number; se: number; df: number },
  treatedBefore: number,
): Change {
  const relative = k.unit === 'relative';
  return {
    estimate: relative ? did.relEffect : did.effect,
    low: relative ? did.relLow : did.low,
    high: relative ? did.relHigh : did.high,
    pValue: did.pValue,
    se: did.se,
    df: did.df,
    base: treatedBefore,
  };
}

const unitOf = (k: KpiDefinition) => (k.unit === 'relative' ? 'rel_change' : 'abs_change');

/** A placebo comparison (in time or in space): nothing went live, so it should find nothing. */
export function placebo(k: KpiDefinition, change: Change | null, note: string): CheckResult {
  if (!change) return { estimate_of: unitOf(k), estimate: null, ci_low: null, ci_high: null, p_value: null, observed: null, flagged: null, note };
  return { estimate_of: unitOf(k), estimate: change.estimate, ci_low: change.low, ci_high: change.high, p_value: change.pValue, observed: null, flagged: null, note };
}

/**
 * The pre-period slope of treated − control, month by month (both series on the same months;
 * a month missing on either side is left out). A common season or shock cancels in the
 * difference; what is left is the trend the difference-in-differences would count as effect.
 * Unweighted: each month counts once, however many observations it holds.
 */
export function preTrend(k: KpiDefinition, treated: ReadonlyMap<string, number>, control: ReadonlyMap<string, number>, months: readonly string[]): CheckResult {
  const gap = months.map((m) => (treated.has(m) && control.has(m) ? treated.get(m)! - control.get(m)! : NaN));
  const fit = linearTrend(gap, { windowMonths: k.windowMonths });
  const note = `slope of treated − control over the ${months.length} pre-period months, in KPI units per month`;
  if (!fit) return { estimate_of: 'slope_per_month', estimate: null, ci_low: null, ci_high: null, p_value: null, observed: null, flagged: null, note: 'fewer than 3 pre-period months with both groups' };
  return { estimate_of: 'slope_per_month', estimate: fit.slope, ci_low: fit.low, ci_high: fit.high, p_value: fit.pValue, observed: null, flagged: null, note };
}

/**
 * The MDE of one of the case study's comparisons, in the KPI's unit (a relative KPI's MDE is
 * the absolute one over the before mean, that mean taken as known). A not-significant result
 * whose MDE exceeds the observed change is flagged: "too few data to tell", not "no effect".
 * Since a not-significant change is under t₀.₉₇₅ standard errors and the MDE is
 * (t₀.₉₇₅ + t₀.₈₀) of them, that is nearly every not-significant row; what the reader learns is
 * the size of the MDE, beside the change the business hoped for.
 */
export function mde(k: KpiDefinition, change: Change, relative: boolean): CheckResult {
  // No spread at all (a KPI that is 0 every month, say): there is no size of effect to state.
  const absolute = change.se > 0 && Number.isFinite(change.se) ? minimumDetectableEffect(change.se, change.df) : null;
  const estimate = absolute === null ? null : relative ? (change.base === 0 ? null : absolute / Math.abs(change.base)) : absolute;
  const significant = change.pValue < 0.05;
  const tooFew = !significant && estimate !== null && change.estimate !== null && estimate > Math.abs(change.estimate);
  return {
    estimate_of: relative ? 'rel_change' : 'abs_change',
    estimate,
    ci_low: null,
    ci_high: null,
    p_value: change.pValue,
    observed: change.estimate,
    flagged: estimate === null ? null : tooFew,
    note: absolute === null ? 'no variation in these data: no detectable effect size to state' : significant ? 'significant in the case study' : tooFew ? 'not significant, and a change this small is below what these data can detect: too few data to tell' : 'not significant, though a change this large would usually be detected',
  };
}

/** A row of marts.case_study_robustness before the Holm adjustment. */
export type Row = Record<string, unknown> & { check_name: string; p_value: number | null; flagged: boolean | null };

/**
 * Twelve KPIs checked at 5% each would flag about one by chance with nothing wrong at all; a
 * placebo or pre-trend row is flagged on its Holm-adjusted p, the family being one check,
 * method, go-live and group over the KPIs, as the case study adjusts its own results.
 */
export function flagByHolm(rows: Row[]): Row[] {
  const tested = (r: Row) => r.check_name !== 'mde';
  const adjusted = holmByFamily(rows, (r) => `${r.check_name}|${r.method}|${String(r.go_live)}|${String(r.grp)}`, (r) => (tested(r) ? r.p_value : null));
  return rows.map((r, i) => (tested(r) ? { ...r, p_holm: adjusted[i], flagged: adjusted[i] === null ? null : adjusted[i]! < 0.05 } : { ...r, p_holm: null }));
}
