/**
 * The case study's windows and series (METRICS.md §7), shared by marts.case_study and
 * marts.case_study_series. Before = the configured pre months up to go-live; after = the
 * configured post months starting once the ramp-up is over. Observations come from
 * marts.kpi_observations, so every KPI means here what it means in the monthly marts.
 */
import { addMonths, formatISO } from 'date-fns';
import type { Config } from '../../config/schema.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { segmentedRegression, type SegmentedFit } from '../stats/segmented-regression.ts';
import type { Summary } from '../stats/welch.ts';
import { byCut } from './_by-cut.ts';

export interface Windows {
  beforeFrom: string;
  afterFrom: string;
  afterTo: string;
  goLive: string;
}

const day = (d: Date) => formatISO(d, { representation: 'date' });

export function windows(config: Config): Windows {
  const goLive = new Date(`${config.crm_go_live}T00:00:00Z`);
  const afterFrom = addMonths(goLive, config.ramp_up_months);
  return {
    beforeFrom: day(addMonths(goLive, -config.case_study.pre_months)),
    goLive: day(goLive),
    afterFrom: day(afterFrom),
    afterTo: day(addMonths(afterFrom, config.case_study.post_months)),
  };
}

export type Group = 'treated' | 'control';
export type Period = 'before' | 'after';

/** The cuts the case study repeats its before/after comparison for (METRICS.md §7). */
export const CASE_STUDY_CUTS = ['segment', 'region', 'channel', 'priority', 'age_band', 'gender', 'purchase_frequency'] as const;

/**
 * n, mean and variance per KPI, cut, group and period, computed in DuckDB; cut 'all' is the
 * whole company.
 */
export async function periodSummaries(warehouse: Warehouse, w: Windows): Promise<Map<string, Summary>> {
  const rows = await warehouse.all<{ kpi: string; cut: string; cut_value: string; grp: Group; period: Period; n: number; mean: number; variance: number | null }>(`
    SELECT kpi, cut, cut_value, CASE WHEN is_treated THEN 'treated' ELSE 'control' END AS grp,
           CASE WHEN month < DATE '${w.goLive}' THEN 'before' ELSE 'after' END AS period,
           count(*)::BIGINT AS n, avg(value) AS mean, var_samp(value) AS variance
    FROM (${byCut(`(SELECT * FROM marts.kpi_observations
            WHERE (month >= DATE '${w.beforeFrom}' AND month < DATE '${w.goLive}') OR (month >= DATE '${w.afterFrom}' AND month < DATE '${w.afterTo}'))`,
            'kpi, is_treated, month, value', CASE_STUDY_CUTS)})
    GROUP BY ALL`);
  return new Map(rows.map((r) => [key(r.kpi, r.grp, r.period, r.cut, r.cut_value), { n: r.n, mean: r.mean, variance: r.variance ?? NaN }]));
}

export const key = (kpi: string, group: Group, period: Period, cut = 'all', cutValue = 'all') => `${kpi}|${cut}|${cutValue}|${group}|${period}`;

/** The (cut, cut value) pairs present in the summaries. */
export function cutsIn(summaries: Map<string, Summary>, kpi: string): Array<[string, string]> {
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
 * with its break where the ramp-up ends; ramp-up months are left out of the fit.
 */
export async function treatedSeries(warehouse: Warehouse, w: Windows, kpis: readonly string[]): Promise<Series[]> {
  const rows = await warehouse.all<{ kpi: string; month: string; value: number }>(`
    SELECT kpi, strftime(month, '%Y-%m-%d') AS month, avg(value) AS value
    FROM marts.kpi_observations WHERE is_treated GROUP BY ALL ORDER BY kpi, month`);
  return kpis.map((kpi) => {
    const mine = rows.filter((r) => r.kpi === kpi);
    const months = mine.map((r) => r.month);
    const values = mine.map((r) => (r.month >= w.goLive && r.month < w.afterFrom ? NaN : r.value));
    const breakAt = months.findIndex((m) => m >= w.afterFrom);
    return { kpi, months, values: mine.map((r) => r.value), fit: breakAt > 0 ? segmentedRegression(values, breakAt) : null };
  });
}
