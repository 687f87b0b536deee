import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';
import { benefitCaveat, evaluate, notMeasurable, readFlows, type Flows } from './_investment.ts';

const METRICS = ['total_investment', 'total_benefit', 'roi', 'npv', 'irr', 'payback_months'] as const;
const STATUSES = ['measured', 'projected', 'not_measurable'] as const;

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
    status: z
      .enum(STATUSES)
      .describe('measured: from observed months only; projected: rests on months after the data ends; not_measurable: the data cannot support it (value null)'),
    note: z.string().describe('what the number means and what it rests on, or why it is missing'),
  }),
  build: async ({ warehouse, config }) => {
    const flows = await readFlows(warehouse);
    const result = evaluate(flows, { benefitFactor: 1, annualDiscountRate: config.discount_rate });
    const cost = flows.cost.reduce((s, x) => s + x, 0);
    const benefit = flows.benefit.reduce((s, x) => s + x, 0);
    const months = flows.cost.length;
    const projectedMonths = flows.projected.filter(Boolean).length;
    const horizon = projectedMonths > 0 ? 'projected' : 'measured';
    const resting = projectedMonths > 0 ? `; ${projectedMonths} of the ${months} months are projected (the average of the last six observed)` : '';
    // Without CRM project costs (no finance data) nothing about the investment can be said.
    const reason = notMeasurable(flows, config);
    const unmeasured = { value: null, status: 'not_measurable', note: reason ?? '' } as const;
    // Without HR data the benefit is the margin uplift alone: every figure built on it says so.
    const caveat = benefitCaveat(config);
    const partial = caveat ? `; benefit without service hours saved (${caveat})` : '';
    const investment = (metric: (typeof METRICS)[number], value: number | null, note: string) =>
      reason === null ? { metric, value, status: horizon, note: `${note}${partial}${resting}` } : { metric, ...unmeasured };
    const rows = [
      investment('total_investment', cost, `CRM project costs over ${months} months from go-live (spending before go-live counted at go-live)`),
      {
        metric: 'total_benefit',
        value: benefit,
        status: horizon,
        note: caveat ? `incremental gross margin only: ${caveat}${resting}` : `incremental gross margin + service hours saved × loaded hourly cost${resting}`,
      },
      investment('roi', cost === 0 ? null : (benefit - cost) / cost, '(benefit − cost) ÷ cost, undiscounted'),
      investment('npv', result.npv, `at ${(config.discount_rate * 100).toFixed(1)}% a year, compounded monthly`),
      investment('irr', result.irr, result.irrNote ?? 'annualised from the monthly IRR'),
      reason === null ? withPartial(payback(result.payback, flows), partial) : { metric: 'payback_months', ...unmeasured },
    ];
    await writeTable(warehouse, 'marts.crm_investment', [['metric', 'VARCHAR'], ['value', 'DOUBLE'], ['status', 'VARCHAR'], ['note', 'VARCHAR']], rows);
  },
});

function withPartial<T extends { note: string }>(row: T, partial: string): T {
  return { ...row, note: `${row.note}${partial}` };
}

/** Payback, and whether the month it happens in was observed or projected. */
function payback(months: number | null, flows: Flows) {
  if (months === null) {
    const projected = flows.projected.some(Boolean);
    return { metric: 'payback_months', value: null, status: projected ? 'projected' : 'measured', note: `does not pay back within the horizon${projected ? ' (its later months projected)' : ''}` };
  }
  // paybackMonths counts whole months before the one that completes it: 24.4 is month 25's flow
  const period = months === 0 ? 0 : Math.min(flows.months.length - 1, Math.floor(months) + 1);
  if (flows.projected[period]) {
    return {
      metric: 'payback_months',
      value: months,
      status: 'projected',
      note: `projected: the cumulative flow turns positive in ${flows.months[period]!.slice(0, 7)}, after the data ends, on the projected months`,
    };
  }
  return { metric: 'payback_months', value: months, status: 'measured', note: 'months from go-live until the cumulative flow stays positive' };
}
