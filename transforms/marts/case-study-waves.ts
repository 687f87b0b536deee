import { z } from 'zod';
import { OVERALL, rolloutWaves } from '../../config/rollout.ts';
import { writeTable } from '../../warehouse/write-table.ts';
import { acceptedValues, invariant } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { holmByFamily } from '../stats/multiple-comparisons.ts';
import {
  afterWindow, cohortLevel, combine, groupTimeEffects, interval, overallEffect, ratio, twoWayFixedEffects, waveEffect,
  type Cohort, type Estimand,
} from '../stats/staggered.ts';
import { findKpi } from './_kpis.ts';
import { clusteredVariances, rolloutPanels } from './_rollout.ts';

const METHODS = ['group_time_att', 'two_way_fixed_effects'] as const;

const COLUMNS = [
  ['kpi', 'VARCHAR'], ['wave', 'VARCHAR'], ['cut', 'VARCHAR'], ['cut_value', 'VARCHAR'], ['go_live', 'DATE'], ['method', 'VARCHAR'], ['weight', 'DOUBLE'],
  ['before_mean', 'DOUBLE'], ['after_mean', 'DOUBLE'], ['abs_change', 'DOUBLE'], ['rel_change', 'DOUBLE'],
  ['ci_of', 'VARCHAR'], ['ci_low', 'DOUBLE'], ['ci_high', 'DOUBLE'], ['p_value', 'DOUBLE'], ['significant', 'BOOLEAN'],
  ['p_holm', 'DOUBLE'], ['significant_holm', 'BOOLEAN'],
  ['effect_size', 'DOUBLE'], ['n_before', 'BIGINT'], ['n_after', 'BIGINT'],
] as const;

export const model = defineModel({
  name: 'marts.case_study_waves',
  description:
    'The case study of a staggered rollout, per wave and overall, with the columns and conventions of marts.case_study: group-time average effects in the manner of Callaway & Sant’Anna, each wave against the customers not yet treated and never treated, both sides measured from the wave’s before window, averaged over the wave’s after window (its ramp-up left out), and overall weighted by wave size. The interval is customer-clustered, from the influence function. The two-way fixed-effects coefficient sits beside the overall row for comparison only: with effects that grow over time it is biased.',
  grain: 'one row per KPI, wave (or overall) and method',
  key: ['kpi', 'wave', 'method'],
  dependsOn: ['marts.kpi_observations'],
  contract: z.object({
    kpi: z.string(),
    wave: z.string().describe('a rollout wave, or overall (the waves weighted by size)'),
    cut: z.string().describe('the cut the wave is defined on; all for overall'),
    cut_value: z.string().describe('the wave’s values; all for overall'),
    go_live: z.iso.date().nullable().describe('the wave’s go-live; null for overall'),
    method: z.enum(METHODS).describe('group_time_att is the estimate; two_way_fixed_effects only for comparison'),
    weight: z.number().min(0).max(1).nullable().describe('the wave’s share of the overall estimate (its customers)'),
    before_mean: z.number().nullable().describe('the treated customers’ mean over the before window'),
    after_mean: z.number().nullable().describe('their mean over the after window'),
    abs_change: z.number().nullable().describe('the effect in KPI units'),
    rel_change: z.number().nullable().describe('the effect ÷ before_mean'),
    ci_of: z.enum(['rel_change', 'abs_change']).describe('which change ci_low / ci_high bound'),
    ci_low: z.number().nullable(),
    ci_high: z.number().nullable(),
    p_value: z.number().min(0).max(1).nullable(),
    significant: z.boolean().nullable().describe('p < 0.05'),
    p_holm: z.number().min(0).max(1).nullable().describe('Holm-adjusted p over the KPIs of the same wave and method'),
    significant_holm: z.boolean().nullable(),
    effect_size: z.number().nullable().describe('not computed for this design'),
    n_before: z.int().min(0).nullable(),
    n_after: z.int().min(0).nullable(),
  }),
  tests: [
    acceptedValues('method', METHODS, ['kpi', 'method']),
    invariant('ci_low ≤ ci_high', 'ci_low <= ci_high', ['kpi', 'wave', 'method']),
    invariant('the change lies inside its interval', `(CASE ci_of WHEN 'rel_change' THEN rel_change ELSE abs_change END) BETWEEN ci_low AND ci_high`, ['kpi', 'wave', 'method']),
    invariant('significant exactly when the interval excludes no change', 'ci_low IS NULL OR significant = NOT (ci_low <= 0 AND ci_high >= 0)', ['kpi', 'wave', 'method']),
    invariant('the wave weights of a KPI add up to 1', `wave = 'overall' OR method <> 'group_time_att' OR (SELECT abs(sum(x.weight) - 1) < 1e-9 FROM marts.case_study_waves x WHERE x.kpi = marts.case_study_waves.kpi AND x.wave <> 'overall' AND x.method = 'group_time_att')`, ['kpi', 'wave']),
  ],
  build: async ({ warehouse, config }) => {
    const waves = rolloutWaves(config);
    const rows: Array<Record<string, unknown>> = [];
    const pending: Array<{ kpi: string; id: string; estimand: Estimand }> = [];
    const drafts: Array<{ row: Record<string, unknown>; id: string; clusters: number }> = [];
    for (const panel of await rolloutPanels(warehouse, config)) {
      const k = findKpi(panel.kpi);
      const relative = k.unit === 'relative';
      const effects = groupTimeEffects(panel.cells, panel.cohorts, config.case_study.pre_months);
      const treated = panel.cohorts.filter((c) => c.firstMonth !== null);
      const perWave: Array<{ cohort: Cohort; effect: Estimand; before: Estimand; after: Estimand | null }> = [];
      for (const cohort of treated) {
        const effect = waveEffect(effects, cohort, config.case_study.post_months);
        const before = cohortLevel(panel.cells, cohort.name, cohort.firstMonth! - config.case_study.pre_months, cohort.firstMonth!);
        if (!effect || !before) continue;
        const { from, to } = afterWindow(cohort, config.case_study.post_months);
        perWave.push({ cohort, effect, before, after: cohortLevel(panel.cells, cohort.name, from, to) });
      }
      const total = perWave.reduce((s, w) => s + w.cohort.size, 0);
      const n = (cohort: string, from: number, to: number) =>
        panel.cells.filter((c) => c.cohort === cohort && c.month >= from && c.month < to).reduce((s, c) => s + c.n, 0);
      const add = (wave: string, method: (typeof METHODS)[number], effect: Estimand, before: Estimand, after: Estimand | null, extra: Record<string, unknown>) => {
        const rel = relative ? ratio(effect, before) : null;
        const id = `${wave}|${method}`;
        pending.push({ kpi: k.kpi, id: `${id}|abs`, estimand: effect });
        if (rel) pending.push({ kpi: k.kpi, id: `${id}|rel`, estimand: rel });
        const row = {
          kpi: k.kpi, wave, method, ci_of: relative ? 'rel_change' : 'abs_change', before_mean: before.estimate, after_mean: after?.estimate ?? null,
          abs_change: effect.estimate, rel_change: rel?.estimate ?? null, effect_size: null, ...extra,
        };
        drafts.push({ row, id, clusters: panel.customers });
      };
      for (const w of perWave) {
        const spec = waves.find((x) => x.name === w.cohort.name)!;
        const { from, to } = afterWindow(w.cohort, config.case_study.post_months);
        add(w.cohort.name, 'group_time_att', w.effect, w.before, w.after, {
          cut: spec.cut ?? 'all', cut_value: spec.cut ? `${spec.complement ? 'not ' : ''}${spec.values.join(', ')}` : 'all', go_live: spec.goLive,
          weight: w.cohort.size / total, n_before: n(w.cohort.name, w.cohort.firstMonth! - config.case_study.pre_months, w.cohort.firstMonth!), n_after: n(w.cohort.name, from, to),
        });
      }
      const overall = overallEffect(perWave.map((w) => [w.cohort, w.effect] as const));
      if (!overall) continue;
      const level = (pick: (w: (typeof perWave)[number]) => Estimand | null) =>
        perWave.every((w) => pick(w)) ? combine(perWave.map((w) => [w.cohort.size / total, pick(w)!] as const)) : null;
      const before = level((w) => w.before)!;
      const extra = {
        cut: 'all', cut_value: 'all', go_live: null, weight: null,
        n_before: drafts.filter((d) => d.row.kpi === k.kpi && d.row.wave !== OVERALL).reduce((s, d) => s + (d.row.n_before as number), 0),
        n_after: drafts.filter((d) => d.row.kpi === k.kpi && d.row.wave !== OVERALL).reduce((s, d) => s + (d.row.n_after as number), 0),
      };
      add(OVERALL, 'group_time_att', overall, before, level((w) => w.after), extra);
      // for comparison only: the regression a reader may know, on the same cells
      const twfe = twoWayFixedEffects(panel.cells, panel.cohorts);
      if (twfe) add(OVERALL, 'two_way_fixed_effects', twfe, before, null, extra);
    }
    const variances = await clusteredVariances(warehouse, config, pending);
    for (const { row, id, clusters } of drafts) {
      const relative = row.ci_of === 'rel_change';
      const estimate = (relative ? row.rel_change : row.abs_change) as number | null;
      const variance = variances.get(`${row.kpi}|${id}|${relative ? 'rel' : 'abs'}`);
      const ci = estimate === null || variance === undefined ? null : interval(estimate, variance, clusters);
      // not cut at −100% as case_study’s Fieller interval is: the effect ÷ the before level is no
      // ratio of two means, and a noisy wave’s estimate itself can lie below −1
      rows.push({ ...row, ci_low: ci?.low ?? null, ci_high: ci?.high ?? null, p_value: ci?.pValue ?? null, significant: ci ? ci.pValue < 0.05 : null });
    }
    await writeTable(warehouse, 'marts.case_study_waves', COLUMNS, withHolm(rows));
  },
});

/** Holm over the KPIs of one wave and method, as in marts.case_study. */
function withHolm(rows: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const adjusted = holmByFamily(rows, (row) => `${row.wave}|${row.method}`, (row) => (row.p_value as number | null) ?? null);
  return rows.map((row, i) => ({ ...row, p_holm: adjusted[i], significant_holm: adjusted[i] === null ? null : adjusted[i]! < 0.05 }));
}
