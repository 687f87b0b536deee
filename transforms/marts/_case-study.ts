/**
 * The case study's windows and series (METRICS.md §7), shared by marts.case_study and
 * marts.case_study_series. Before = the configured pre months up to go-live; after = the
 * configured post months starting once the ramp-up is over. Observations come from
 * marts.kpi_observations, so every KPI means here what it means in the monthly marts.
 *
 * A KPI over a trailing window (the repeat purchase rate: 12 months) is observed once per
 * customer and month, but a customer's consecutive months share 11 of their 12; pooling the
 * months of a period would count each order up to 12 times and make the interval far too
 * narrow. So each period contributes one snapshot, the window that ends it: the 12 months
 * before go-live, and the last 12 months of the after period (the steady state, furthest from
 * the ramp-up). Each customer with ≥ 1 completed order in the window is then one 0/1
 * observation (1 with ≥ 2), the rate a proportion, and the difference of means the Wald
 * interval of a difference of proportions; the relative change, a ratio of two proportions, gets
 * the Fieller interval of every relative KPI. A customer in both snapshots makes the two
 * positively correlated: the cluster-robust variance (stats/cluster-robust.ts) counts that
 * covariance, as it counts the many surveys and tickets of one customer for the other KPIs.
 *
 * With rollout waves (config.rollout) there is no one go-live to split at: each treated
 * customer is compared before and after its own wave's go-live (waveWindows), the windows and
 * snapshots computed per wave with the same arithmetic, and the never-treated customers, who
 * have no go-live, are left out of the comparison.
 */
import { addMonths, formatISO } from 'date-fns';
import { rolloutWaves } from '../../config/rollout.ts';
import type { Config } from '../../config/schema.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { segmentedRegression, type SegmentedFit } from '../stats/segmented-regression.ts';
import type { ClusteredPeriods } from '../stats/cluster-robust.ts';
import { byCut } from './_by-cut.ts';
import { waveOf } from './_cuts.ts';
import { findKpi, KPIS } from './_kpis.ts';
import { literal } from '../../warehouse/warehouse.ts';

export interface Windows {
  beforeFrom: string;
  afterFrom: string;
  afterTo: string;
  goLive: string;
}

const day = (d: Date) => formatISO(d, { representation: 'date' });

export function windows(config: Config): Windows {
  return windowsAt(config.crm_go_live, config.ramp_up_months, config);
}

/** The before and after windows around a go-live, with its ramp-up left out. */
function windowsAt(goLiveIso: string, rampUpMonths: number, config: Pick<Config, 'case_study'>): Windows {
  const goLive = new Date(`${goLiveIso}T00:00:00Z`);
  const afterFrom = addMonths(goLive, rampUpMonths);
  return {
    beforeFrom: day(addMonths(goLive, -config.case_study.pre_months)),
    goLive: day(goLive),
    afterFrom: day(afterFrom),
    afterTo: day(addMonths(afterFrom, config.case_study.post_months)),
  };
}

/** One rollout wave's windows, around its own go-live. */
export interface WaveWindows extends Windows {
  wave: string;
}

/**
 * The case study's periods under a staggered rollout: each wave's windows, and the SQL that
 * names an observation's wave (`cohort`, over marts.kpi_observations aliased `o`).
 */
export interface Staggered {
  waves: WaveWindows[];
  cohort: string;
}

/**
 * With rollout waves configured, each wave's windows around its own go-live (its own ramp-up
 * left out, the configured pre and post months); null with a single go-live.
 */
export function staggeredWindows(config: Config): Staggered | null {
  if (!config.rollout) return null;
  return {
    waves: rolloutWaves(config).map((wave) => ({ wave: wave.name, ...windowsAt(wave.goLive, wave.rampUpMonths, config) })),
    cohort: waveOf(config, 'o'),
  };
}

/** The placebo in time of a staggered rollout: each wave split at its own fake go-live (placeboWindows); the waves it does not fit are left out. */
export function staggeredPlacebo(s: Staggered, monthsBefore: number): Staggered | null {
  const waves = s.waves.flatMap((w) => {
    const pw = placeboWindows(w, monthsBefore);
    return pw ? [{ ...pw, wave: w.wave }] : [];
  });
  return waves.length > 0 ? { waves, cohort: s.cohort } : null;
}

/**
 * A fake go-live `monthsBefore` months before the real one, for the placebo-in-time check:
 * the real pre-period split in two, before = [beforeFrom, fake) and after = [fake, go-live),
 * with no ramp-up (nothing went live). Null when either side would be shorter than 3 months.
 */
export function placeboWindows(w: Windows, monthsBefore: number): Windows | null {
  const fake = addMonths(new Date(`${w.goLive}T00:00:00Z`), -monthsBefore);
  if (monthsBefore < 3 || day(addMonths(fake, -3)) < w.beforeFrom) return null;
  return { beforeFrom: w.beforeFrom, goLive: day(fake), afterFrom: day(fake), afterTo: w.goLive };
}

/**
 * The months whose windows the case study compares for a KPI over a trailing window of
 * `windowMonths`: the one ending just before go-live and the one ending the after period;
 * null when a period is shorter than the window.
 */
export function snapshotMonths(w: Windows, windowMonths: number): { before: string; after: string } | null {
  const month = (iso: string, add: number) => day(addMonths(new Date(`${iso}T00:00:00Z`), add));
  if (month(w.beforeFrom, windowMonths) > w.goLive || month(w.afterFrom, windowMonths) > w.afterTo) return null;
  return { before: month(w.goLive, -1), after: month(w.afterTo, -1) };
}

/**
 * The first month of the interrupted time series' after segment: the end of the ramp-up, or
 * for a trailing-window KPI the first month whose whole window lies after it (months between
 * go-live and then mix regimes and are left out of the fit).
 */
export function seriesBreak(w: Windows, kpi: string): string {
  const windowMonths = findKpi(kpi).windowMonths ?? 1;
  return day(addMonths(new Date(`${w.afterFrom}T00:00:00Z`), windowMonths - 1));
}

export type Group = 'treated' | 'control';

/** The cuts the case study repeats its before/after comparison for (METRICS.md §7). */
export const CASE_STUDY_CUTS = ['segment', 'region', 'channel', 'priority', 'age_band', 'gender', 'purchase_frequency'] as const;

/**
 * Per KPI, cut and group: the before and the after cell (n, mean, variance) and the sums the
 * cluster-robust variance of their difference needs (stats/cluster-robust.ts), all computed in
 * DuckDB: observations are first summed per customer, so nothing grows with the data but the
 * customers. Cut 'all' is the whole company. Only groups observed in both periods are returned.
 */
export async function periodSummaries(warehouse: Warehouse, w: Windows | Staggered, cuts: readonly string[] = CASE_STUDY_CUTS): Promise<Map<string, ClusteredPeriods>> {
  const rows = await warehouse.all<PeriodsRow>('waves' in w ? staggeredPeriodsSql(w, cuts) : periodsSql(w, cuts));
  return new Map(
    rows.map((r) => [
      key(r.kpi, r.grp, r.cut, r.cut_value),
      {
        before: { n: r.n_before, mean: r.mean_before, variance: r.variance_before ?? NaN },
        after: { n: r.n_after, mean: r.mean_after, variance: r.variance_after ?? NaN },
        clusters: { clusters: r.clusters, before: r.ss_before, after: r.ss_after, cross: r.ss_cross },
      },
    ]),
  );
}

interface PeriodsRow {
  kpi: string;
  cut: string;
  cut_value: string;
  grp: Group;
  n_before: number;
  mean_before: number;
  variance_before: number | null;
  n_after: number;
  mean_after: number;
  variance_after: number | null;
  clusters: number;
  ss_before: number;
  ss_after: number;
  ss_cross: number;
}

/** The case study's periods around the single go-live (inPeriods: one snapshot a period for a windowed KPI). */
function periodsSql(w: Windows, cuts: readonly string[]): string {
  return summariesSql(`
    WITH periods AS (
      -- each observation a comparison uses, with its side of the go-live
      SELECT *,
             CASE WHEN month < DATE ${literal(w.goLive)} THEN 'before' ELSE 'after' END AS period
      FROM marts.kpi_observations
      WHERE ${inPeriods(w)}
    ),`, cuts);
}

/**
 * periodsSql under a staggered rollout: an observation's period is decided against its
 * customer's wave's windows (a join on the wave), so a customer of a late wave is still
 * "before" after an earlier wave went live. Never-treated customers are in no wave: no rows.
 */
function staggeredPeriodsSql(s: Staggered, cuts: readonly string[]): string {
  const windowed = KPIS.filter((k) => k.windowMonths);
  const windowRows = s.waves.map((w) => `(${literal(w.wave)}, DATE ${literal(w.beforeFrom)}, DATE ${literal(w.goLive)}, DATE ${literal(w.afterFrom)}, DATE ${literal(w.afterTo)})`);
  const snapshotRows = s.waves.flatMap((w) =>
    windowed.flatMap((k) => {
      const m = snapshotMonths(w, k.windowMonths!);
      return m ? [`(${literal(w.wave)}, ${literal(k.kpi)}, DATE ${literal(m.before)}, 'before')`, `(${literal(w.wave)}, ${literal(k.kpi)}, DATE ${literal(m.after)}, 'after')`] : [];
    }),
  );
  const snapshots = snapshotRows.length
    ? `SELECT * FROM (VALUES ${snapshotRows.join(', ')}) AS t(cohort, kpi, month, period)`
    : 'SELECT NULL::VARCHAR AS cohort, NULL::VARCHAR AS kpi, NULL::DATE AS month, NULL::VARCHAR AS period WHERE false';
  const pooled = windowed.length ? `o.kpi NOT IN (${windowed.map((k) => k.kpi).map(literal).join(', ')})` : 'true';
  return summariesSql(`
    WITH wave_windows AS (
      -- each wave’s before window [before_from, go_live) and after window [after_from, after_to)
      SELECT * FROM (VALUES ${windowRows.join(', ')}) AS t(cohort, before_from, go_live, after_from, after_to)
    ),
    snapshots AS (
      -- a trailing-window KPI’s one month a period, per wave: the window ending each period
      ${snapshots}
    ),
    in_waves AS (
      -- every observation with its customer’s wave (never_treated: no window, no period)
      SELECT o.*,
             ${s.cohort} AS cohort
      FROM marts.kpi_observations o
    ),
    periods AS (
      -- a monthly KPI’s observations in its customer’s wave’s before or after window
      SELECT o.*,
             CASE WHEN o.month < w.go_live THEN 'before' ELSE 'after' END AS period
      FROM in_waves o
      JOIN wave_windows w USING (cohort)
      WHERE ${pooled}
        AND ((o.month >= w.before_from AND o.month < w.go_live) OR (o.month >= w.after_from AND o.month < w.after_to))
      UNION ALL
      -- a trailing-window KPI’s observations in its customer’s wave’s two snapshot months
      SELECT o.*,
             s.period
      FROM in_waves o
      JOIN snapshots s USING (cohort, kpi, month)
    ),`, cuts);
}

/**
 * The period sums from the `periods` CTE that `head` ends with (marts.kpi_observations' columns
 * and `period`, before or after): each observation once for every cut it falls in, then the
 * per-customer sums and the cells. The variance comes from the per-customer sums of values and
 * squares, (Σy² − (Σy)²/n) / (n − 1): the values are rates, scores and hours whose mean is within
 * a few standard deviations of zero, so the subtraction loses a few digits of sixteen.
 */
function summariesSql(head: string, cuts: readonly string[]): string {
  return `${head}
    observed AS (
      -- each observation a comparison uses, once for every cut it falls in
      SELECT kpi,
             cut,
             cut_value,
             CASE WHEN is_treated THEN 'treated' ELSE 'control' END AS grp,
             period,
             customer_id,
             value
      FROM (${byCut('periods', 'kpi, is_treated, period, customer_id, value', cuts)})
    ),
    per_customer AS (
      -- each customer's observations in a cell: how many, their sum and sum of squares
      SELECT kpi, cut, cut_value, grp, period, customer_id,
             count(*) AS n,
             sum(value) AS total,
             sum(value * value) AS squares
      FROM observed
      GROUP BY ALL
    ),
    cells AS (
      -- n, mean and sample variance of each group's period
      SELECT kpi, cut, cut_value, grp, period,
             sum(n)::BIGINT AS n,
             sum(total) / sum(n) AS mean,
             CASE WHEN sum(n) > 1 THEN greatest(0, sum(squares) - sum(total) ^ 2 / sum(n)) / (sum(n) - 1) END AS variance
      FROM per_customer
      GROUP BY ALL
    ),
    deviations AS (
      -- each customer's summed deviation from its period's mean, r = Σy − n · mean
      SELECT p.kpi, p.cut, p.cut_value, p.grp, p.customer_id,
             sum(p.total - p.n * c.mean) FILTER (WHERE p.period = 'before') AS r_before,
             sum(p.total - p.n * c.mean) FILTER (WHERE p.period = 'after') AS r_after
      FROM per_customer p
      JOIN cells c USING (kpi, cut, cut_value, grp, period)
      GROUP BY ALL
    ),
    moments AS (
      -- the cluster-robust sums per group: customers, Σ r² a period, Σ r_before · r_after
      SELECT kpi, cut, cut_value, grp,
             count(*)::BIGINT AS clusters,
             coalesce(sum(r_before ^ 2), 0) AS ss_before,
             coalesce(sum(r_after ^ 2), 0) AS ss_after,
             coalesce(sum(r_before * r_after), 0) AS ss_cross
      FROM deviations
      GROUP BY ALL
    )
    SELECT m.*,
           b.n AS n_before,
           b.mean AS mean_before,
           b.variance AS variance_before,
           a.n AS n_after,
           a.mean AS mean_after,
           a.variance AS variance_after
    FROM moments m
    JOIN cells b ON b.period = 'before' AND (b.kpi, b.cut, b.cut_value, b.grp) = (m.kpi, m.cut, m.cut_value, m.grp)
    JOIN cells a ON a.period = 'after' AND (a.kpi, a.cut, a.cut_value, a.grp) = (m.kpi, m.cut, m.cut_value, m.grp)`;
}

/** SQL: the observations each KPI's before/after comparison uses (one snapshot a period for windowed KPIs). */
function inPeriods(w: Windows): string {
  const windowed = KPIS.filter((k) => k.windowMonths);
  const pooled = `(month >= DATE ${literal(w.beforeFrom)} AND month < DATE ${literal(w.goLive)}) OR (month >= DATE ${literal(w.afterFrom)} AND month < DATE ${literal(w.afterTo)})`;
  return [
    windowed.length ? `(kpi NOT IN (${windowed.map((k) => literal(k.kpi)).join(', ')}) AND (${pooled}))` : `(${pooled})`,
    ...windowed.map((k) => {
      const s = snapshotMonths(w, k.windowMonths!);
      return s ? `(kpi = ${literal(k.kpi)} AND month IN (DATE ${literal(s.before)}, DATE ${literal(s.after)}))` : null;
    }).filter((c) => c !== null),
  ].join(' OR ');
}

/** The key of a group's periods in periodSummaries. */
export const key = (kpi: string, group: Group, cut = 'all', cutValue = 'all') => `${kpi}|${cut}|${cutValue}|${group}`;

/** The (cut, cut value) pairs present in the summaries. */
export function cutsIn(summaries: Map<string, ClusteredPeriods>, kpi: string): Array<[string, string]> {
  const seen = new Set<string>();
  for (const id of summaries.keys()) {
    const [k, cut, value] = id.split('|');
    if (k === kpi && cut !== 'all') seen.add(`${cut}|${value}`);
  }
  return [...seen].sort().map((c) => c.split('|') as [string, string]);
}

export interface Series {
  kpi: string;
  months: string[];
  values: number[];
  fit: SegmentedFit | null;
}

/**
 * Monthly means of the treated group over all months with data, and the segmented regression
 * with its break where the ramp-up ends (seriesBreak); months from go-live to the break are
 * left out of the fit. A trailing-window KPI's months overlap, which its standard errors allow for.
 */
export async function treatedSeries(warehouse: Warehouse, w: Windows, kpis: readonly string[]): Promise<Series[]> {
  const rows = (await monthlyMeans(warehouse)).filter((r) => r.grp === 'treated');
  return kpis.map((kpi) => {
    const mine = rows.filter((r) => r.kpi === kpi);
    const months = mine.map((r) => r.month);
    const fitFrom = seriesBreak(w, kpi);
    const values = mine.map((r) => (r.month >= w.goLive && r.month < fitFrom ? NaN : r.value));
    const breakAt = months.findIndex((m) => m >= fitFrom);
    const fit = breakAt > 0 ? segmentedRegression(values, breakAt, { windowMonths: findKpi(kpi).windowMonths }) : null;
    return { kpi, months, values: mine.map((r) => r.value), fit };
  });
}

/** The monthly mean of each KPI per group, over all months with data, in month order. */
export async function monthlyMeans(warehouse: Warehouse): Promise<Array<{ kpi: string; grp: Group; month: string; value: number }>> {
  return warehouse.all(`
    SELECT kpi, CASE WHEN is_treated THEN 'treated' ELSE 'control' END AS grp, strftime(month, '%Y-%m-%d') AS month, avg(value) AS value
    FROM marts.kpi_observations
    GROUP BY ALL
    ORDER BY kpi, grp, month`);
}
