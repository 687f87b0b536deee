import { z } from 'zod';
import { defineModel } from '../framework/model.ts';
import { model as caseStudy } from './case-study.ts';

/** The columns the headline shares with marts.case_study (and marts.case_study_waves), defined there. */
const SHARED = caseStudy.contract.pick({
  kpi: true, before_mean: true, after_mean: true, abs_change: true, rel_change: true, ci_of: true, ci_low: true, ci_high: true,
  p_value: true, significant: true, significant_holm: true, effect_size: true, n_before: true, n_after: true,
});

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
  contract: SHARED.extend({
    method: z.enum(['before_after', 'group_time_att']).describe('where the estimate comes from'),
    confirmed_by_control: z.boolean().describe('a comparison with customers the CRM had not reached backs the change'),
  }),
  build: async ({ warehouse, config }) => {
    await warehouse.run(`CREATE OR REPLACE TABLE marts.case_study_headline AS ${config.rollout ? STAGGERED : SINGLE_GO_LIVE}`);
  },
});

const COLUMNS = ['method', ...Object.keys(SHARED.shape)].join(',\n      ');

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
