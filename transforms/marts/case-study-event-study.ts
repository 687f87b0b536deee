import { z } from 'zod';
import { rolloutWaves } from '../../config/rollout.ts';
import { writeTable } from '../../warehouse/write-table.ts';
import { invariant } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { SMALL_SAMPLE } from '../stats/proportions.ts';
import { cellKey, cellOf, eventTimeEffect, groupTimeEffects, interval, type Estimand, type GroupTime } from '../stats/staggered.ts';
import { clusteredVariances, rolloutPanels } from './_rollout.ts';

export const model = defineModel({
  name: 'marts.case_study_event_study',
  description:
    'The effect of the CRM by months since each wave’s go-live (event time), the waves’ group-time effects at that distance averaged by wave size (Callaway & Sant’Anna’s dynamic aggregation), with a customer-clustered 95% interval. Month 0 is the first month live; months before it are leads, the pre-trend check: each wave is measured from the mean of its before window, so under parallel trends a lead is 0 within its interval, and leads that drift are a pre-trend.',
  grain: 'one row per KPI and event month',
  key: ['kpi', 'event_month'],
  dependsOn: ['marts.kpi_observations'],
  contract: z.object({
    kpi: z.string(),
    event_month: z.int().describe('months since go-live: 0 the first month live, negative before it'),
    estimate: z.number().describe('the effect in KPI units at that distance from go-live'),
    ci_low: z.number(),
    ci_high: z.number(),
    p_value: z.number().min(0).max(1),
    waves: z.int().min(0).describe('waves observed at that distance'),
    is_lead: z.boolean().describe('before go-live: the pre-trend check'),
    in_ramp_up: z.boolean().describe('within the ramp-up the wave averages leave out'),
    smallest_cell: z.int().min(0).describe('observations in the smallest cell of that month (a wave’s, or its comparison’s)'),
    small_sample: z.boolean().describe(`smallest_cell below ${SMALL_SAMPLE}: a month’s mean of a few answers, whose interval understates its uncertainty; shown, but flagged`),
  }),
  tests: [
    invariant('ci_low ≤ estimate ≤ ci_high', 'estimate BETWEEN ci_low AND ci_high', ['kpi', 'event_month']),
    invariant('a lead is before go-live', 'is_lead = (event_month < 0)', ['kpi', 'event_month']),
  ],
  build: async ({ warehouse, config }) => {
    const rampUp = Math.max(...rolloutWaves(config).map((w) => w.rampUpMonths));
    const first = -config.case_study.pre_months;
    const last = rampUp + config.case_study.post_months - 1;
    const pending: Array<{ kpi: string; id: string; estimand: Estimand; waves: number; event: number; clusters: number; smallest: number }> = [];
    for (const panel of await rolloutPanels(warehouse, config)) {
      const effects = groupTimeEffects(panel.cells, panel.cohorts, config.case_study.pre_months);
      const sizes = new Map(panel.cells.map((c) => [cellKey(c.cohort, c.month), c.n]));
      for (let event = first; event <= last; event++) {
        const estimand = eventTimeEffect(effects, panel.cohorts, event);
        const atEvent = effects.filter((e) => e.eventMonth === event);
        const waves = new Set(atEvent.map((e) => e.cohort)).size;
        if (estimand) pending.push({ kpi: panel.kpi, id: String(event), estimand, waves, event, clusters: panel.customers, smallest: smallestCell(atEvent, sizes) });
      }
    }
    const variances = await clusteredVariances(warehouse, config, pending);
    const rows = pending.map((p) => {
      const ci = interval(p.estimand.estimate, variances.get(`${p.kpi}|${p.id}`) ?? 0, p.clusters);
      return {
        kpi: p.kpi, event_month: p.event, estimate: ci.estimate, ci_low: ci.low, ci_high: ci.high, p_value: ci.pValue,
        waves: p.waves, is_lead: p.event < 0, in_ramp_up: p.event >= 0 && p.event < rampUp,
        smallest_cell: p.smallest, small_sample: p.smallest < SMALL_SAMPLE,
      };
    });
    await writeTable(warehouse, 'marts.case_study_event_study', [
      ['kpi', 'VARCHAR'], ['event_month', 'BIGINT'], ['estimate', 'DOUBLE'], ['ci_low', 'DOUBLE'], ['ci_high', 'DOUBLE'], ['p_value', 'DOUBLE'],
      ['waves', 'BIGINT'], ['is_lead', 'BOOLEAN'], ['in_ramp_up', 'BOOLEAN'], ['smallest_cell', 'BIGINT'], ['small_sample', 'BOOLEAN'],
    ], rows);
  },
});

/**
 * The fewest observations behind one month of the event study: of the cells of that calendar
 * month each wave’s effect compares (the wave’s own and its comparison’s). The before window
 * pools many months, so its months are left out. A cell of four answers that happen to agree
 * has no spread, and the clustered interval then shows a certainty the data do not have.
 */
function smallestCell(atEvent: readonly GroupTime[], sizes: ReadonlyMap<string, number>): number {
  const counts = atEvent.flatMap((e) =>
    [...e.weights.keys()].filter((key) => cellOf(key).month === e.month).map((key) => sizes.get(key) ?? 0),
  );
  return counts.length > 0 ? Math.min(...counts) : 0;
}
