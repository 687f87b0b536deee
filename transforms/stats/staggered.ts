/**
 * Staggered adoption (METRICS.md §1 "rollout waves", §7): group-time average effects in the
 * manner of Callaway & Sant’Anna (2021), without covariates. Each wave (cohort g, first treated
 * month g) is compared with the units not treated at either month of the comparison: the
 * never-treated and the not-yet-treated waves. Treated cohorts never serve as controls, which is
 * exactly where a two-way fixed-effects regression goes wrong when effects grow over time (it
 * compares late adopters with early ones already treated, Goodman-Bacon 2021).
 *
 *   ATT(g, t) = (Ȳ[g, t] − Ȳ[g, B]) − (Ȳ[C, t] − Ȳ[C, B])
 *
 * where C are the cohorts untreated at t and throughout the base B, pooled by their number of
 * observations. Observations of a month are cross-sections (a survey answer, a ticket), so Ȳ
 * are cell means. Callaway & Sant’Anna’s base is the single month g − 1, right for a panel that
 * follows the same units; here a wave’s month holds a few dozen answers, and one month’s mean as
 * the base of every comparison made the estimates and their intervals erratic (an NPS effect of
 * −165 points at 2,000 customers). So B is the wave’s before window, the mean of its months
 * [g − pre, g), as the before/after case study uses: with a single base month (pre = 1) this is
 * their estimator exactly. Leads (t < g) then read as a month’s deviation from that window,
 * relative to the comparison: a pre-trend shows as leads that drift. Every estimate here (an ATT(g, t), an event-time or a wave average, the
 * overall effect, even the two-way fixed-effects coefficient) is a fixed linear combination
 * Σ w[c] Ȳ[c] of cell means, so one variance formula serves them all: the influence function of
 * each customer, summed over its observations, squared and summed (a customer-clustered
 * sandwich; see _rollout.ts for the SQL). The cohort weights are taken as given.
 */
import { Matrix, inverse } from 'ml-matrix';
import { tCritical, twoSidedP } from './welch.ts';

/** One cohort × month: the observations of the cohort’s units in that month. */
export interface Cell {
  cohort: string;
  /** month index (year · 12 + month), so month arithmetic is integer arithmetic */
  month: number;
  n: number;
  mean: number;
}

export interface Cohort {
  name: string;
  /** first treated month index; null for the never-treated */
  firstMonth: number | null;
  /** units in the cohort (its weight in the aggregations) */
  size: number;
  /** months after go-live the wave’s averages leave out */
  rampUpMonths: number;
}

/** A linear combination of cell means: the estimate and the weight on each cell (cellKey). */
export interface Estimand {
  estimate: number;
  weights: Map<string, number>;
}

export const cellKey = (cohort: string, month: number) => `${cohort}|${month}`;
/** The cohort and month of a cellKey. */
export function cellOf(key: string): { cohort: string; month: number } {
  const [cohort, month] = key.split('|') as [string, string];
  return { cohort, month: Number(month) };
}
export const monthIndex = (isoDate: string) => Number(isoDate.slice(0, 4)) * 12 + Number(isoDate.slice(5, 7)) - 1;
export const monthIso = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;

/** Σ coefficient × estimand, merging their weights. */
export function combine(terms: ReadonlyArray<readonly [number, Estimand]>): Estimand {
  const weights = new Map<string, number>();
  let estimate = 0;
  for (const [k, e] of terms) {
    estimate += k * e.estimate;
    for (const [cell, w] of e.weights) weights.set(cell, (weights.get(cell) ?? 0) + k * w);
  }
  return { estimate, weights };
}

/** The pooled mean of several cohorts’ cells in one month, null when none has observations. */
function pooledMean(cells: Map<string, Cell>, cohorts: readonly Cohort[], month: number): Estimand | null {
  const present = cohorts.map((c) => cells.get(cellKey(c.name, month))).filter((c): c is Cell => c !== undefined && c.n > 0);
  const total = present.reduce((s, c) => s + c.n, 0);
  if (total === 0) return null;
  return {
    estimate: present.reduce((s, c) => s + c.n * c.mean, 0) / total,
    weights: new Map(present.map((c) => [cellKey(c.cohort, month), c.n / total])),
  };
}

/** Cohorts untreated at t and before g (the base window), other than g itself. */
export function comparisonCohorts(cohorts: readonly Cohort[], g: Cohort, t: number): Cohort[] {
  const latest = Math.max(t, g.firstMonth! - 1);
  return cohorts.filter((c) => c.name !== g.name && (c.firstMonth === null || c.firstMonth > latest));
}

export interface GroupTime extends Estimand {
  cohort: string;
  month: number;
  /** t − g: 0 is the first treated month, negative months are leads */
  eventMonth: number;
}

/**
 * ATT(g, t) against the wave’s before window [g − preMonths, g); null without observations on
 * either side. Both sides’ base is the mean of the same months, each month weighted equally.
 */
export function groupTimeEffect(cells: Map<string, Cell>, cohorts: readonly Cohort[], g: Cohort, t: number, preMonths: number): GroupTime | null {
  const own = (m: number): Estimand | null => {
    const c = cells.get(cellKey(g.name, m));
    return c && c.n > 0 ? { estimate: c.mean, weights: new Map([[cellKey(g.name, m), 1]]) } : null;
  };
  const comparison = comparisonCohorts(cohorts, g, t);
  const baseMonths: Array<[Estimand, Estimand]> = [];
  for (let m = g.firstMonth! - preMonths; m < g.firstMonth!; m++) {
    const mine = own(m);
    const theirs = pooledMean(cells, comparison, m);
    if (mine && theirs) baseMonths.push([mine, theirs]);
  }
  const now = [own(t), pooledMean(cells, comparison, t)];
  if (baseMonths.length === 0 || now.some((p) => p === null)) return null;
  const share = 1 / baseMonths.length;
  const e = combine([
    [1, now[0]!], [-1, now[1]!],
    ...baseMonths.flatMap(([mine, theirs]) => [[-share, mine], [share, theirs]] as const),
  ]);
  return { ...e, cohort: g.name, month: t, eventMonth: t - g.firstMonth! };
}

/** Every ATT(g, t) the cells allow, for every treated cohort and month. */
export function groupTimeEffects(cells: readonly Cell[], cohorts: readonly Cohort[], preMonths: number): GroupTime[] {
  const index = new Map(cells.map((c) => [cellKey(c.cohort, c.month), c]));
  const months = [...new Set(cells.map((c) => c.month))].sort((a, b) => a - b);
  return cohorts
    .filter((g) => g.firstMonth !== null)
    .flatMap((g) => months.map((t) => groupTimeEffect(index, cohorts, g, t, preMonths)).filter((e) => e !== null));
}

/** Σ π[g] · estimand[g] with π proportional to cohort size over the cohorts present. */
function sizeWeighted(byCohort: ReadonlyArray<readonly [Cohort, Estimand]>): Estimand | null {
  const total = byCohort.reduce((s, [c]) => s + c.size, 0);
  if (byCohort.length === 0 || total === 0) return null;
  return combine(byCohort.map(([c, e]) => [c.size / total, e] as const));
}

/** θ(e): the cohorts’ ATT(g, g + e), weighted by cohort size (Callaway & Sant’Anna’s dynamic aggregation). */
export function eventTimeEffect(effects: readonly GroupTime[], cohorts: readonly Cohort[], eventMonth: number): Estimand | null {
  const present = effects.filter((e) => e.eventMonth === eventMonth).map((e) => [cohorts.find((c) => c.name === e.cohort)!, e] as const);
  return sizeWeighted(present);
}

/** The months of a wave’s after window: from the end of its ramp-up, `postMonths` long. */
export function afterWindow(g: Cohort, postMonths: number): { from: number; to: number } {
  const from = g.firstMonth! + g.rampUpMonths;
  return { from, to: from + postMonths };
}

/** θ[g]: the mean of the wave’s ATT(g, t) over its after window (months with an estimate). */
export function waveEffect(effects: readonly GroupTime[], g: Cohort, postMonths: number): Estimand | null {
  const { from, to } = afterWindow(g, postMonths);
  const mine = effects.filter((e) => e.cohort === g.name && e.month >= from && e.month < to);
  return mine.length === 0 ? null : combine(mine.map((e) => [1 / mine.length, e] as const));
}

/** The overall effect on the treated: the waves’ θ[g] weighted by wave size (group aggregation). */
export function overallEffect(byWave: ReadonlyArray<readonly [Cohort, Estimand]>): Estimand | null {
  return sizeWeighted(byWave);
}

/** The unweighted mean of a cohort’s cells over [from, to): a level (before or after mean). */
export function cohortLevel(cells: readonly Cell[], cohort: string, from: number, to: number): Estimand | null {
  const mine = cells.filter((c) => c.cohort === cohort && c.month >= from && c.month < to && c.n > 0);
  if (mine.length === 0) return null;
  return { estimate: mine.reduce((s, c) => s + c.mean, 0) / mine.length, weights: new Map(mine.map((c) => [cellKey(c.cohort, c.month), 1 / mine.length])) };
}

/**
 * effect ÷ level as an estimand: the ratio, with the weights of its linearisation
 * (w_effect − ratio · w_level) / level, so the same variance formula gives its interval.
 */
export function ratio(effect: Estimand, level: Estimand): Estimand | null {
  if (level.estimate === 0) return null;
  const r = effect.estimate / level.estimate;
  const linear = combine([[1 / level.estimate, effect], [-r / level.estimate, level]]);
  return { estimate: r, weights: linear.weights };
}

/**
 * The two-way fixed-effects coefficient, for comparison only: cell means regressed on cohort
 * and month dummies and a treated indicator (1 from the end of a wave’s ramp-up; its ramp-up
 * months are left out), weighted by observations, which is individual-level OLS with cohort and
 * month effects. β is row D of (X′WX)⁻¹X′W applied to the cell means: an estimand like the others.
 */
export function twoWayFixedEffects(cells: readonly Cell[], cohorts: readonly Cohort[]): Estimand | null {
  const byName = new Map(cohorts.map((c) => [c.name, c]));
  const treatedFrom = (c: Cohort) => (c.firstMonth === null ? Infinity : c.firstMonth + c.rampUpMonths);
  const used = cells.filter((c) => {
    const g = byName.get(c.cohort);
    return g && c.n > 0 && !(g.firstMonth !== null && c.month >= g.firstMonth && c.month < treatedFrom(g));
  });
  const names = [...new Set(used.map((c) => c.cohort))].sort();
  const months = [...new Set(used.map((c) => c.month))].sort((a, b) => a - b);
  const rows = used.map((c) => [
    1,
    ...names.slice(1).map((n) => (c.cohort === n ? 1 : 0)),
    ...months.slice(1).map((m) => (c.month === m ? 1 : 0)),
    c.month >= treatedFrom(byName.get(c.cohort)!) ? 1 : 0,
  ]);
  if (rows.length <= rows[0]!.length) return null;
  const X = new Matrix(rows);
  const Xtw = X.transpose().mulRowVector(used.map((c) => c.n));
  let projection: Matrix;
  try {
    projection = inverse(Xtw.mmul(X)).mmul(Xtw);
  } catch {
    return null; // no treated-untreated contrast (singular design)
  }
  const a = projection.getRow(X.columns - 1);
  return { estimate: a.reduce((s, w, i) => s + w * used[i]!.mean, 0), weights: new Map(used.map((c, i) => [cellKey(c.cohort, c.month), a[i]!])) };
}

export interface Interval {
  estimate: number;
  se: number;
  low: number;
  high: number;
  pValue: number;
}

/** 95% interval from a clustered variance with `clusters` customers (t with clusters − 1 df). */
export function interval(estimate: number, variance: number, clusters: number): Interval {
  const se = Math.sqrt(Math.max(0, variance));
  const df = Math.max(1, clusters - 1);
  const t = tCritical(df);
  return { estimate, se, low: estimate - t * se, high: estimate + t * se, pValue: se === 0 ? (estimate === 0 ? 1 : 0) : twoSidedP(estimate / se, df) };
}
