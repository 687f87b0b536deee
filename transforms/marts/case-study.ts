import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { acceptedValues, invariant } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { holmByFamily } from '../stats/multiple-comparisons.ts';
import { clusteredCompare, clusteredDifferenceInDifferences } from '../stats/cluster-robust.ts';
import { KPIS } from './_kpis.ts';
import { cutsIn, key, periodSummaries, staggeredWindows, treatedSeries, windows } from './_case-study.ts';

const METHODS = ['before_after', 'difference_in_differences', 'interrupted_time_series'] as const;

const COLUMNS = [
  ['kpi', 'VARCHAR'], ['cut', 'VARCHAR'], ['cut_value', 'VARCHAR'], ['method', 'VARCHAR'],
  ['before_mean', 'DOUBLE'], ['after_mean', 'DOUBLE'], ['abs_change', 'DOUBLE'], ['rel_change', 'DOUBLE'],
  ['ci_of', 'VARCHAR'], ['ci_low', 'DOUBLE'], ['ci_high', 'DOUBLE'], ['p_value', 'DOUBLE'], ['significant', 'BOOLEAN'],
  ['p_holm', 'DOUBLE'], ['significant_holm', 'BOOLEAN'],
  ['effect_size', 'DOUBLE'], ['n_before', 'BIGINT'], ['n_after', 'BIGINT'], ['method_note', 'VARCHAR'],
] as const;

/** What the interval and p of a before/after or difference-in-differences row rest on. */
export function clusteredNote(customers: number, df: number): string {
  return `cluster-robust (CR1) standard errors clustered by customer (${customers} customers), t with ${df} df; one test gives the interval and p`;
}

/** What a before/after row of a staggered rollout compares, after clusteredNote. */
export const WAVES_NOTE = '; rollout waves: each customer aligned on its own wave’s go-live (before: the pre months up to it; after: the post months from the end of its ramp-up), never-treated customers left out';

export const model = defineModel({
  name: 'marts.case_study',
  description:
    'Before/after the CRM go-live for each KPI: the treated group before vs after (for the whole company and within each segment cut), difference-in-differences against the control group, and the level change of an interrupted time series (whole company). The interval is of the relative change for relative KPIs (before/after: Fieller’s interval from the same test, never below −100%) and of the absolute change for NPS (points) and the time-series level change; each row’s interval and its significance come from one test, so they always agree. A customer answers many surveys and opens many tickets, and is seen before and after: before/after and difference-in-differences use cluster-robust (CR1) standard errors clustered by customer, with the before/after covariance of customers seen in both periods and G − 1 degrees of freedom (the smaller group’s customers − 1 for the difference-in-differences); method_note says which method each row used. A KPI over a trailing window (repeat purchase rate) compares one snapshot a period, the window ending at go-live and the one ending the after period, each customer one 0/1 observation. With rollout waves configured, before/after compares each treated customer around its own wave’s go-live (its wave’s ramp-up left out, its own snapshots for a trailing-window KPI) and leaves the never-treated out; no difference-in-differences or interrupted time series rows are written, since one split date is wrong under staggered timing: the comparison with the never- and not-yet-treated is the group-time estimate of marts.case_study_waves.',
  grain: 'one row per KPI, cut and method',
  key: ['kpi', 'cut', 'cut_value', 'method'],
  dependsOn: ['marts.kpi_observations'],
  contract: z.object({
    kpi: z.string(),
    cut: z.string(),
    cut_value: z.string(),
    method: z.enum(METHODS),
    before_mean: z.number().nullable(),
    after_mean: z.number().nullable(),
    abs_change: z.number().nullable(),
    rel_change: z.number().nullable(),
    ci_of: z.enum(['rel_change', 'abs_change']).describe('which change ci_low / ci_high bound'),
    ci_low: z.number().nullable(),
    ci_high: z.number().nullable(),
    p_value: z.number().min(0).max(1).nullable(),
    significant: z.boolean().nullable().describe('p < 0.05, for this comparison on its own'),
    p_holm: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe("Holm-adjusted p: the family is the method's rows of the same cut (for cut 'all' the KPIs; for a cut every KPI and value of it)"),
    significant_holm: z.boolean().nullable().describe('p_holm < 0.05: significant with the family-wise error held at 5%'),
    effect_size: z.number().nullable().describe("Cohen's d (before_after only)"),
    n_before: z.int().min(0).nullable(),
    n_after: z.int().min(0).nullable(),
    method_note: z.string().describe('how the interval and p were computed: cluster-robust by customer, or the time series’ standard errors'),
  }),
  tests: [
    acceptedValues('method', METHODS, ['kpi', 'method']),
    invariant('ci_low ≤ ci_high', 'ci_low <= ci_high', ['kpi', 'method']),
    invariant('the change lies inside its interval', `(CASE ci_of WHEN 'rel_change' THEN rel_change ELSE abs_change END) BETWEEN ci_low AND ci_high`, ['kpi', 'method']),
    // one test decides both: a row never reads "significant" beside an interval that holds no change
    invariant('significant exactly when the interval excludes no change', 'ci_low IS NULL OR significant = NOT (ci_low <= 0 AND ci_high >= 0)', ['kpi', 'cut_value', 'method']),
    invariant('the Holm-adjusted p is never below the unadjusted one', 'p_holm IS NULL OR p_holm >= p_value', ['kpi', 'cut_value', 'method']),
    invariant('a before/after relative change is never below −100%', `method <> 'before_after' OR ci_of <> 'rel_change' OR ci_low >= -1`, ['kpi', 'cut_value', 'method']),
  ],
  build: async ({ warehouse, config }) => {
    const w = windows(config);
    // with rollout waves each customer is split at its own wave's go-live, and only before/after is written
    const staggered = staggeredWindows(config);
    const summaries = await periodSummaries(warehouse, staggered ?? w);
    const series = staggered ? [] : await treatedSeries(warehouse, w, KPIS.map((k) => k.kpi));
    const note = (customers: number, df: number) => clusteredNote(customers, df) + (staggered ? WAVES_NOTE : '');
    const rows: Array<Record<string, unknown>> = [];
    for (const k of KPIS) {
      // a KPI read in relative terms is a rate, a duration or a score: never negative
      const relative = k.unit === 'relative';
      const base = { kpi: k.kpi, cut: 'all', cut_value: 'all', ci_of: relative ? 'rel_change' : 'abs_change' };
      const treated = summaries.get(key(k.kpi, 'treated'));
      const c = treated ? clusteredCompare(treated, { nonNegative: relative }) : null;
      if (c) {
        rows.push({
          ...base, method: 'before_after', before_mean: c.before, after_mean: c.after, abs_change: c.absChange, rel_change: c.relChange,
          ci_low: relative ? c.relLow : c.absLow, ci_high: relative ? c.relHigh : c.absHigh, p_value: c.pValue,
          significant: c.pValue < 0.05, effect_size: c.effectSize, n_before: treated!.before.n, n_after: treated!.after.n,
          method_note: note(treated!.clusters.clusters, c.df),
        });
      }
      const control = summaries.get(key(k.kpi, 'control'));
      const did = treated && control && !staggered ? clusteredDifferenceInDifferences(treated, control) : null;
      if (did) {
        rows.push({
          ...base, method: 'difference_in_differences', before_mean: treated!.before.mean, after_mean: treated!.after.mean, abs_change: did.effect, rel_change: did.relEffect,
          ci_low: relative ? did.relLow : did.low, ci_high: relative ? did.relHigh : did.high, p_value: did.pValue,
          significant: did.pValue < 0.05, effect_size: null, n_before: treated!.before.n + control!.before.n, n_after: treated!.after.n + control!.after.n,
          method_note: clusteredNote(treated!.clusters.clusters + control!.clusters.clusters, did.df),
        });
      }
      // the same before/after comparison within each segment cut, where the cut has data
      for (const [cut, value] of cutsIn(summaries, k.kpi)) {
        // a windowed KPI's purchase band counts the very orders the KPI does: 1 → all 0, 2+ → all 1
        if (k.windowMonths && cut === 'purchase_frequency') continue;
        const within = summaries.get(key(k.kpi, 'treated', cut, value));
        const cc = within ? clusteredCompare(within, { nonNegative: relative }) : null;
        if (!cc) continue;
        rows.push({
          ...base, cut, cut_value: value, method: 'before_after', before_mean: cc.before, after_mean: cc.after, abs_change: cc.absChange,
          rel_change: cc.relChange, ci_low: relative ? cc.relLow : cc.absLow, ci_high: relative ? cc.relHigh : cc.absHigh, p_value: cc.pValue,
          significant: cc.pValue < 0.05, effect_size: cc.effectSize, n_before: within!.before.n, n_after: within!.after.n,
          method_note: note(within!.clusters.clusters, cc.df),
        });
      }
      const fit = series.find((s) => s.kpi === k.kpi)?.fit;
      if (fit) {
        // the level the pre-go-live trend predicts at the break, had nothing changed
        const counterfactual = fit.intercept + fit.trend * fit.breakAt;
        rows.push({
          ...base, method: 'interrupted_time_series', ci_of: 'abs_change', before_mean: counterfactual, after_mean: counterfactual + fit.levelChange,
          abs_change: fit.levelChange, rel_change: counterfactual === 0 ? null : fit.levelChange / counterfactual, ci_low: fit.levelLow, ci_high: fit.levelHigh, p_value: fit.levelP,
          significant: fit.levelP < 0.05, effect_size: null, n_before: null, n_after: null,
          method_note: k.windowMonths
            ? `segmented regression on the treated group’s monthly values, standard errors allowing for the overlap of their ${k.windowMonths}-month windows; t with ${fit.df} df`
            : `segmented regression on the treated group’s monthly means, classical OLS standard errors (months as observations); t with ${fit.df} df`,
        });
      }
    }
    await writeTable(warehouse, 'marts.case_study', COLUMNS, withHolm(rows));
  },
});

/**
 * Twelve KPIs tested at 5% each would call about one "significant" by chance even with no
 * effect at all; Holm's adjustment over each family (a method's rows of one cut) keeps the
 * chance of any false "significant" in it at 5%. The unadjusted p, its flag and the interval keep
 * agreeing with each other; the adjusted columns sit beside them.
 */
function withHolm(rows: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const adjusted = holmByFamily(rows, (row) => `${row.method}|${row.cut}`, (row) => (row.p_value as number | null) ?? null);
  return rows.map((row, i) => ({ ...row, p_holm: adjusted[i], significant_holm: adjusted[i] === null ? null : adjusted[i]! < 0.05 }));
}
