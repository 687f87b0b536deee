import { z } from 'zod';
import { defineModel } from '../framework/model.ts';

/**
 * The one estimate per KPI the executive summary reports, defined here once so that its
 * headline table and its findings can never tell two stories: with a single go-live the whole
 * company's before/after, with rollout waves the waves' overall group-time effect (a before/after
 * pooled over waves that went live on different dates is no headline).
 */
export const model = defineModel({
  name: 'marts.case_study_headline',
  description:
    'The headline estimate of each KPI: with a single go-live the whole company’s before/after of marts.case_study, confirmed_by_control when the difference-in-differences against the control group is significant after Holm in the same direction; with rollout waves the waves’ overall group-time effect of marts.case_study_waves, which is itself a comparison with the customers not yet or never reached (confirmed_by_control true).',
  grain: 'one row per KPI',
  key: ['kpi'],
  dependsOn: ['marts.case_study', 'marts.case_study_waves'],
  contract: z.object({
    kpi: z.string(),
    method: z.enum(['before_after', 'group_time_att']).describe('where the estimate comes from'),
    before_mean: z.number().nullable(),
    after_mean: z.number().nullable(),
    abs_change: z.number().nullable(),
    rel_change: z.number().nullable(),
    ci_of: z.enum(['rel_change', 'abs_change']).describe('which change ci_low / ci_high bound'),
    ci_low: z.number().nullable(),
    ci_high: z.number().nullable(),
    p_value: z.number().min(0).max(1).nullable(),
    significant: z.boolean().nullable().describe('p < 0.05'),
    significant_holm: z.boolean().nullable().describe('significant with the family-wise error over the KPIs held at 5%'),
    effect_size: z.number().nullable().describe("Cohen's d (before/after only)"),
    n_before: z.int().min(0).nullable(),
    n_after: z.int().min(0).nullable(),
    confirmed_by_control: z.boolean().describe('a comparison with customers the CRM had not reached backs the change'),
  }),
  build: async ({ warehouse, config }) => {
    await warehouse.run(`CREATE OR REPLACE TABLE marts.case_study_headline AS ${config.rollout ? STAGGERED : SINGLE_GO_LIVE}`);
  },
});

const COLUMNS = `kpi,
      method,
      before_mean,
      after_mean,
      abs_change,
      rel_change,
      ci_of,
      ci_low,
      ci_high,
      p_value,
      significant,
      significant_holm,
      effect_size,
      n_before,
      n_after`;

const SINGLE_GO_LIVE = `
  WITH before_after AS (
    -- the whole company before and after the go-live
    SELECT ${COLUMNS}
    FROM marts.case_study
    WHERE cut = 'all'
      AND method = 'before_after'
  ),
  control AS (
    -- the same change measured against the control group
    SELECT kpi,
           abs_change,
           significant_holm
    FROM marts.case_study
    WHERE cut = 'all'
      AND method = 'difference_in_differences'
  )
  SELECT b.*,
         coalesce(c.significant_holm AND (c.abs_change > 0) = (b.abs_change > 0), false) AS confirmed_by_control
  FROM before_after b
  LEFT JOIN control c USING (kpi)`;

const STAGGERED = `
  SELECT ${COLUMNS},
         true AS confirmed_by_control
  FROM marts.case_study_waves
  WHERE wave = 'overall'
    AND method = 'group_time_att'`;
