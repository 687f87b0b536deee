import { z } from 'zod';
import { CostCenter } from '../../sources/finance/gl-entries.ts';
import { defineModel } from '../framework/model.ts';
import { monthOf } from './_cuts.ts';

export const model = defineModel({
  name: 'marts.cost_monthly',
  description: 'Cost composition (服务成本构成) by month: cost centre, direct/indirect (直接/间接) and fixed/variable (固定/可变).',
  grain: 'one row per month, cost centre, cost nature and cost behaviour',
  key: ['month', 'cost_center', 'cost_nature', 'cost_behavior'],
  dependsOn: ['staging.gl_entries'],
  contract: z.object({
    month: z.iso.date().describe('month of posted_on'),
    cost_center: CostCenter,
    cost_nature: z.enum(['direct', 'indirect']),
    cost_behavior: z.enum(['fixed', 'variable']),
    amount: z.number().describe('sum of ledger lines, company currency'),
    crm_amount: z.number().describe('the part booked to project "crm" (CRM investment)'),
  }),
  build: () => `
    SELECT ${monthOf('posted_on')} AS month, cost_center, cost_nature, cost_behavior,
           CAST(sum(amount) AS DOUBLE) AS amount, CAST(coalesce(sum(amount) FILTER (WHERE project = 'crm'), 0) AS DOUBLE) AS crm_amount
    FROM staging.gl_entries GROUP BY ALL`,
});
