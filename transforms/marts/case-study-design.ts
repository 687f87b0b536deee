import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';
import { windows } from './_case-study.ts';

/**
 * The case study's design as data (go-live, ramp-up, the two windows, the control group), from
 * the same configuration and window arithmetic the case study uses, so a report states the
 * method next to the results without restating the configuration.
 */
export const model = defineModel({
  name: 'marts.case_study_design',
  description:
    'How the case study compares: the CRM go-live, the ramp-up months left out, the before window [before_from, go_live) and the after window [after_from, after_to), and the control group of the difference-in-differences (null when none is configured); rollout_waves counts the configured rollout waves (0: one go-live), and with waves the executive summary reads the staggered overall estimate (marts.case_study_waves).',
  grain: 'one row',
  key: ['go_live'],
  dependsOn: [],
  contract: z.object({
    go_live: z.iso.date(),
    ramp_up_months: z.number().int().min(0),
    before_from: z.iso.date(),
    after_from: z.iso.date(),
    after_to: z.iso.date(),
    control_group: z.string().nullable().describe('e.g. "region = west"'),
    rollout_waves: z.int().min(0).describe('rollout waves configured; 0 for a single go-live'),
  }),
  build: async ({ warehouse, config }) => {
    const w = windows(config);
    const control = config.control_group ? `${config.control_group.cut} = ${config.control_group.values.join(', ')}` : null;
    await writeTable(
      warehouse,
      'marts.case_study_design',
      [['go_live', 'DATE'], ['ramp_up_months', 'BIGINT'], ['before_from', 'DATE'], ['after_from', 'DATE'], ['after_to', 'DATE'], ['control_group', 'VARCHAR'], ['rollout_waves', 'BIGINT']],
      [{ go_live: w.goLive, ramp_up_months: config.ramp_up_months, before_from: w.beforeFrom, after_from: w.afterFrom, after_to: w.afterTo, control_group: control, rollout_waves: config.rollout?.length ?? 0 }],
    );
  },
});
