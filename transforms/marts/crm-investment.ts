import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';
import { evaluate, readFlows } from './_investment.ts';

const METRICS = ['total_investment', 'total_benefit', 'roi', 'npv', 'irr', 'payback_months'] as const;

export const model = defineModel({
  name: 'marts.crm_investment',
  description:
    'The CRM investment verdict (成本效益) over the horizon: total investment and benefit, ROI = (benefit − cost) ÷ cost, NPV at the configured annual discount rate compounded monthly, IRR annualised (null with a note when the flows have no or several roots), payback in months.',
  grain: 'one row per metric',
  key: ['metric'],
  dependsOn: ['marts.crm_cash_flows'],
  contract: z.object({
    metric: z.enum(METRICS),
    value: z.number().nullable(),
    note: z.string().describe('what the number means, or why it is missing'),
  }),
  build: async ({ warehouse, config }) => {
    const flows = await readFlows(warehouse);
    const result = evaluate(flows, { benefitFactor: 1, annualDiscountRate: config.discount_rate });
    const cost = flows.cost.reduce((s, x) => s + x, 0);
    const benefit = flows.benefit.reduce((s, x) => s + x, 0);
    const months = flows.cost.length;
    const rows = [
      { metric: 'total_investment', value: cost, note: `CRM project costs over ${months} months from go-live (spending before go-live counted at go-live)` },
      { metric: 'total_benefit', value: benefit, note: 'incremental gross margin + service hours saved × loaded hourly cost' },
      { metric: 'roi', value: cost === 0 ? null : (benefit - cost) / cost, note: cost === 0 ? 'no CRM costs booked' : '(benefit − cost) ÷ cost, undiscounted' },
      { metric: 'npv', value: result.npv, note: `at ${(config.discount_rate * 100).toFixed(1)}% a year, compounded monthly` },
      { metric: 'irr', value: result.irr, note: result.irrNote ?? 'annualised from the monthly IRR' },
      { metric: 'payback_months', value: result.payback, note: result.payback === null ? 'does not pay back within the horizon' : 'months from go-live until the cumulative flow stays positive' },
    ];
    await writeTable(warehouse, 'marts.crm_investment', [['metric', 'VARCHAR'], ['value', 'DOUBLE'], ['note', 'VARCHAR']], rows);
  },
});
