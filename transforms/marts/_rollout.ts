/**
 * The staggered case study’s data (METRICS.md §1 rollout waves, §7): the cell means the
 * group-time estimator works on, and the clustered variance of any estimand built from them
 * (transforms/stats/staggered.ts), both computed in DuckDB. Shared by marts.case_study_waves
 * and marts.case_study_event_study.
 *
 * A KPI over a trailing window (repeat purchase rate) is left out: its months overlap, so a
 * month after go-live still holds months before it and a month-by-month effect means little;
 * marts.case_study compares its snapshots.
 */
import { NEVER_TREATED, rolloutWaves } from '../../config/rollout.ts';
import type { Config } from '../../config/schema.ts';
import { literal, type Warehouse } from '../../warehouse/warehouse.ts';
import { writeTable } from '../../warehouse/write-table.ts';
import { cellOf, monthIndex, monthIso, type Cell, type Cohort, type Estimand } from '../stats/staggered.ts';
import { KPIS } from './_kpis.ts';
import { waveOf } from './_cuts.ts';

/** The KPIs the staggered estimator covers: every KPI observed month by month. */
export const ROLLOUT_KPIS = KPIS.filter((k) => !k.windowMonths);

export interface RolloutPanel {
  kpi: string;
  cells: Cell[];
  cohorts: Cohort[];
  /** customers with an observation of the KPI: the clusters of the variance */
  customers: number;
}

/** SQL: each observation of the covered KPIs with its customer’s wave as `cohort`. */
function observed(config: Config): string {
  const kpis = ROLLOUT_KPIS.map((k) => literal(k.kpi)).join(', ');
  return `SELECT o.kpi, o.customer_id, o.month, o.value, ${waveOf(config, 'o')} AS cohort
    FROM marts.kpi_observations o
    WHERE o.kpi IN (${kpis})`;
}

/** Cell means per KPI, wave and month, and each wave’s customers (its weight). */
export async function rolloutPanels(warehouse: Warehouse, config: Config): Promise<RolloutPanel[]> {
  const cells = await warehouse.all<{ kpi: string; cohort: string; month: string; n: number; mean: number }>(`
    WITH observed AS (
      ${observed(config)})
    SELECT kpi,
           cohort,
           strftime(month, '%Y-%m-%d') AS month,
           count(*)::BIGINT AS n,
           avg(value) AS mean
    FROM observed
    GROUP BY ALL`);
  const sizes = await warehouse.all<{ kpi: string; cohort: string; customers: number }>(`
    WITH observed AS (
      ${observed(config)})
    SELECT kpi,
           cohort,
           count(DISTINCT customer_id)::BIGINT AS customers
    FROM observed
    GROUP BY ALL`);
  const waves = rolloutWaves(config);
  return ROLLOUT_KPIS.map(({ kpi }) => {
    const size = (cohort: string) => sizes.find((s) => s.kpi === kpi && s.cohort === cohort)?.customers ?? 0;
    const cohorts: Cohort[] = [
      ...waves.map((w) => ({ name: w.name, firstMonth: firstTreatedMonth(w.goLive), size: size(w.name), rampUpMonths: w.rampUpMonths })),
      { name: NEVER_TREATED, firstMonth: null, size: size(NEVER_TREATED), rampUpMonths: 0 },
    ];
    return {
      kpi,
      cells: cells.filter((c) => c.kpi === kpi).map((c) => ({ cohort: c.cohort, month: monthIndex(c.month), n: c.n, mean: c.mean })),
      cohorts: cohorts.filter((c) => c.size > 0),
      customers: sizes.filter((s) => s.kpi === kpi).reduce((s, c) => s + c.customers, 0),
    };
  });
}

/**
 * The first month a wave counts as treated: the month of its go-live when that is the 1st,
 * else the next (a month is attributed to the period it starts in, as in the case study).
 */
export function firstTreatedMonth(goLive: string): number {
  return monthIndex(goLive) + (goLive.endsWith('-01') ? 0 : 1);
}

/**
 * The customer-clustered variance of each estimand: every customer’s influence Σ w/n (y − ȳ)
 * over its observations, squared and summed (the cell’s small-sample factor aside). Keys are `${kpi}|${estimand id}`.
 */
export async function clusteredVariances(warehouse: Warehouse, config: Config, estimands: ReadonlyArray<{ kpi: string; id: string; estimand: Estimand }>): Promise<Map<string, number>> {
  const rows = estimands.flatMap(({ kpi, id, estimand }) =>
    [...estimand.weights].map(([cell, weight]) => {
      const { cohort, month } = cellOf(cell);
      return { kpi, estimand: id, cohort, month: monthIso(month), weight };
    }),
  );
  const table = 'meta.rollout_weights';
  await writeTable(warehouse, table, [['kpi', 'VARCHAR'], ['estimand', 'VARCHAR'], ['cohort', 'VARCHAR'], ['month', 'DATE'], ['weight', 'DOUBLE']], rows);
  try {
    const variances = await warehouse.all<{ kpi: string; estimand: string; variance: number }>(`
      WITH observed AS (
        -- the observations of the covered KPIs, each with its wave
        ${observed(config)}),
      cells AS (
        -- cell sizes and means, the ȳ each observation is centred on
        SELECT kpi, cohort, month, count(*) AS n, avg(value) AS mean
        FROM observed
        GROUP BY ALL),
      influence AS (
        -- each customer’s influence on each estimand; × √(n / (n − 1)) so that a cell of a few
        -- answers does not understate its variance (Σ (y − ȳ)² / n² is (n − 1)/n of it)
        SELECT w.kpi,
               w.estimand,
               o.customer_id,
               sum(w.weight * (o.value - c.mean) / c.n * CASE WHEN c.n > 1 THEN sqrt(c.n / (c.n - 1)) ELSE 1 END) AS psi
        FROM observed o
          JOIN cells c USING (kpi, cohort, month)
          JOIN ${table} w USING (kpi, cohort, month)
        GROUP BY ALL)
      SELECT kpi,
             estimand,
             sum(psi * psi) AS variance
      FROM influence
      GROUP BY ALL`);
    return new Map(variances.map((v) => [`${v.kpi}|${v.estimand}`, v.variance]));
  } finally {
    await warehouse.run(`DROP TABLE IF EXISTS ${table}`);
  }
}
