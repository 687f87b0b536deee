import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { acceptedValues, invariant } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { clusteredCompare, clusteredDifferenceInDifferences, type ClusteredPeriods } from '../stats/cluster-robust.ts';
import { KPIS, type KpiDefinition } from './_kpis.ts';
import { key, monthlyMeans, periodSummaries, placeboWindows, staggeredPlacebo, staggeredWindows, treatedSeries, windows, type Staggered, type Windows } from './_case-study.ts';
import { CHECKS, PLACEBO_MONTHS_BEFORE, ROBUSTNESS_METHODS, flagByHolm, fromDid, fromComparison, mde, placebo, preTrend, type Change, type CheckResult, type Row } from './_robustness.ts';

const COLUMNS = [
  ['kpi', 'VARCHAR'], ['check_name', 'VARCHAR'], ['method', 'VARCHAR'], ['go_live', 'DATE'], ['months_before', 'BIGINT'], ['grp', 'VARCHAR'],
  ['estimate_of', 'VARCHAR'], ['estimate', 'DOUBLE'], ['ci_low', 'DOUBLE'], ['ci_high', 'DOUBLE'], ['p_value', 'DOUBLE'], ['p_holm', 'DOUBLE'],
  ['observed', 'DOUBLE'], ['flagged', 'BOOLEAN'], ['n_before', 'BIGINT'], ['n_after', 'BIGINT'], ['note', 'VARCHAR'],
] as const;

export const model = defineModel({
  name: 'marts.case_study_robustness',
  description:
    'The checks a careful analyst runs on the case study, from the same period summaries and cluster-robust before/after and difference-in-differences tests as the case study: placebo in time (before/after and difference-in-differences at fake go-lives 6, 9 and 12 months before the real one, the pre-period split there into [pre-period start, fake) and [fake, go-live), so both sides lie inside the real pre-period; nothing went live, so a significant change is a trend, season or drift the real comparison also carries), placebo in space (the control group’s own before/after at the real go-live: it had no CRM), the pre-trend of the difference-in-differences (the slope of the monthly treated − control gap over the pre-period, per month, with its interval: parallel trends make it zero), and the minimum detectable effect of each case-study comparison, MDE = (t₀.₉₇₅ + t₀.₈₀) × its standard error (80% power, α = 0.05, two-sample t approximation; divided by the before mean for a relative KPI). Placebo and pre-trend rows are flagged when their Holm-adjusted p is below 0.05, the family being one check, method, go-live and group over the KPIs (as the case study adjusts its own); the interval and p_value beside it are the unadjusted ones. An mde row is flagged “too few data to tell” when its comparison is not significant and the MDE exceeds the observed change. A trailing-window KPI (repeat purchase rate, 12 months) has no placebo in time: its window does not fit twice in the pre-period. With rollout waves configured, the placebo in time splits each treated customer at fake go-lives 6, 9 and 12 months before its own wave’s go-live (go_live: the earliest wave’s fake one; the note lists each wave’s), the mde rows are those of the case study’s before/after rows, and there is no placebo in space, pre-trend or difference-in-differences and time-series row: the case study has none, and the event study’s leads (marts.case_study_event_study) are the pre-trend check.',
  grain: 'one row per KPI, check, method, go-live and group',
  key: ['kpi', 'check_name', 'method', 'go_live', 'grp'],
  dependsOn: ['marts.kpi_observations'],
  contract: z.object({
    kpi: z.string(),
    check_name: z.enum(CHECKS).describe('placebo_time, placebo_space, pre_trend or mde'),
    method: z.enum(ROBUSTNESS_METHODS).describe('the case-study method the check is about'),
    go_live: z.iso.date().describe('the go-live the comparison splits at: a fake one for placebo_time, the real one otherwise; with rollout waves the earliest wave’s'),
    months_before: z.int().min(0).describe('how far the fake go-live lies before the real one (0 for the other checks)'),
    grp: z.enum(['treated', 'control', 'treated_minus_control']).describe('whose data: control for the placebo in space, treated − control for the pre-trend'),
    estimate_of: z.enum(['rel_change', 'abs_change', 'slope_per_month']).describe('the unit of estimate, ci_low, ci_high and observed'),
    estimate: z.number().nullable().describe('the placebo change, the pre-trend slope, or the MDE'),
    ci_low: z.number().nullable().describe('95% interval of the placebo change or the pre-trend slope (unadjusted); null for mde rows'),
    ci_high: z.number().nullable(),
    p_value: z.number().min(0).max(1).nullable().describe('the test’s own p; for mde rows the p of the case-study comparison'),
    p_holm: z.number().min(0).max(1).nullable().describe('Holm-adjusted p over the KPIs of one check, method, go-live and group (placebo and pre-trend rows)'),
    observed: z.number().nullable().describe('mde rows: the change the case study found, to read the MDE against'),
    flagged: z.boolean().nullable().describe('the check casts doubt on the result; null when it could not be run'),
    n_before: z.int().min(0).nullable(),
    n_after: z.int().min(0).nullable(),
    note: z.string().describe('what was compared, or why a check could not be run'),
  }),
  tests: [
    acceptedValues('check_name', CHECKS, ['kpi', 'check_name']),
    invariant('ci_low ≤ ci_high', 'ci_low <= ci_high', ['kpi', 'check_name', 'go_live']),
    invariant('a minimum detectable effect is positive', `check_name <> 'mde' OR estimate IS NULL OR estimate > 0`, ['kpi', 'method']),
    invariant('a placebo or pre-trend row is flagged exactly when its Holm-adjusted p is below 0.05', `check_name = 'mde' OR p_holm IS NULL OR flagged = (p_holm < 0.05)`, ['kpi', 'check_name', 'go_live']),
    invariant('the Holm-adjusted p is never below the unadjusted one', 'p_holm IS NULL OR p_holm >= p_value', ['kpi', 'check_name', 'go_live']),
  ],
  build: async ({ warehouse, config }) => {
    const staggered = staggeredWindows(config);
    // with rollout waves: the earliest wave's windows name the go-live of a row
    const w = staggered ? earliest(staggered) : windows(config);
    // with rollout waves the control group is not used, and the case study has before/after only
    const hasControl = config.control_group !== null && !staggered;
    const rows: Row[] = [];
    // the real comparisons the MDE is read against, and the control group's placebo in space
    const real = await periodSummaries(warehouse, staggered ?? w, []);
    const series = staggered ? [] : await treatedSeries(warehouse, w, KPIS.map((k) => k.kpi));
    for (const k of KPIS) {
      const { ba, did } = comparisons(k, real, hasControl);
      if (ba) rows.push(row(k, 'mde', 'before_after', w, 0, 'treated', mde(k, ba.change, k.unit === 'relative'), ba.n));
      if (did) rows.push(row(k, 'mde', 'difference_in_differences', w, 0, 'treated', mde(k, did.change, k.unit === 'relative'), did.n));
      const fit = series.find((s) => s.kpi === k.kpi)?.fit;
      if (fit) {
        const its: Change = { estimate: fit.levelChange, low: fit.levelLow, high: fit.levelHigh, pValue: fit.levelP, se: fit.levelSe, df: fit.df, base: 0 };
        rows.push(row(k, 'mde', 'interrupted_time_series', w, 0, 'treated', mde(k, its, false), null));
      }
      if (hasControl) {
        const control = real.get(key(k.kpi, 'control'));
        const c = control ? clusteredCompare(control, { nonNegative: k.unit === 'relative' }) : null;
        rows.push(row(k, 'placebo_space', 'before_after', w, 0, 'control', placebo(k, c && fromComparison(k, c), 'the control group (no CRM) before vs after the real go-live'), c && ([control!.before.n, control!.after.n] as [number, number])));
      }
    }
    for (const monthsBefore of PLACEBO_MONTHS_BEFORE) {
      const sp = staggered && staggeredPlacebo(staggered, monthsBefore);
      const pw = sp ? earliest(sp) : staggered ? null : placeboWindows(w, monthsBefore);
      if (!pw) continue;
      const summaries = await periodSummaries(warehouse, sp || pw, []);
      for (const k of KPIS) {
        const { ba, did } = comparisons(k, summaries, hasControl);
        const untested = k.windowMonths ? `its ${k.windowMonths}-month window does not fit twice in the pre-period: not tested` : 'too few observations: not tested';
        const split = sp
          ? `each wave at a fake go-live ${monthsBefore} months before its own: ${sp.waves.map((x) => `${x.wave} [${x.beforeFrom}, ${x.goLive}) vs [${x.goLive}, ${x.afterTo})`).join(', ')}`
          : `[${pw.beforeFrom}, ${pw.goLive}) vs [${pw.goLive}, ${pw.afterTo}), a fake go-live inside the pre-period`;
        const note = (change: unknown) => (change ? split : untested);
        rows.push(row(k, 'placebo_time', 'before_after', pw, monthsBefore, 'treated', placebo(k, ba?.change ?? null, note(ba)), ba?.n ?? null));
        if (hasControl) rows.push(row(k, 'placebo_time', 'difference_in_differences', pw, monthsBefore, 'treated', placebo(k, did?.change ?? null, note(did)), did?.n ?? null));
      }
    }
    if (hasControl) {
      const means = await monthlyMeans(warehouse);
      const preMonths = [...new Set(means.filter((m) => m.month >= w.beforeFrom && m.month < w.goLive).map((m) => m.month))].sort();
      for (const k of KPIS) {
        const of = (grp: string) => new Map(means.filter((m) => m.kpi === k.kpi && m.grp === grp).map((m) => [m.month, m.value]));
        rows.push(row(k, 'pre_trend', 'difference_in_differences', w, 0, 'treated_minus_control', preTrend(k, of('treated'), of('control'), preMonths), null));
      }
    }
    await writeTable(warehouse, 'marts.case_study_robustness', COLUMNS, flagByHolm(rows));
  },
});

/** The windows of the wave that goes live first. */
function earliest(s: Staggered): Windows {
  return [...s.waves].sort((a, b) => a.goLive.localeCompare(b.goLive))[0]!;
}

function row(k: KpiDefinition, check: string, method: string, w: Windows, monthsBefore: number, grp: string, result: CheckResult, n: [number, number] | null): Row {
  return { kpi: k.kpi, check_name: check, method, go_live: w.goLive, months_before: monthsBefore, grp, ...result, n_before: n?.[0] ?? null, n_after: n?.[1] ?? null };
}

/** The case study's before/after and difference-in-differences for one KPI, from one set of period summaries. */
function comparisons(k: KpiDefinition, summaries: Map<string, ClusteredPeriods>, hasControl: boolean) {
  const treated = summaries.get(key(k.kpi, 'treated'));
  const control = summaries.get(key(k.kpi, 'control'));
  const c = treated ? clusteredCompare(treated, { nonNegative: k.unit === 'relative' }) : null;
  const d = hasControl && treated && control ? clusteredDifferenceInDifferences(treated, control) : null;
  return {
    ba: c && { change: fromComparison(k, c), n: [treated!.before.n, treated!.after.n] as [number, number] },
    did: d && { change: fromDid(k, d, treated!.before.mean), n: [treated!.before.n + control!.before.n, treated!.after.n + control!.after.n] as [number, number] },
  };
}
