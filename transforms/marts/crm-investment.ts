import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';
import { benefitCaveat, evaluate, notMeasurable, readFlows, type Flows } from './_investment.ts';
import { EMPTY, join, noteColumns, NOTES, type Text } from './_investment-notes.ts';

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
    note_zh: z.string().describe('the note in Simplified Chinese, from the same figures (transforms/marts/_investment-notes.ts)'),
  }),
  build: async ({ warehouse, config }) => {
    const flows = await readFlows(warehouse);
    const result = evaluate(flows, { benefitFactor: 1, annualDiscountRate: config.discount_rate });
    const cost = flows.cost.reduce((s, x) => s + x, 0);
    const benefit = flows.benefit.reduce((s, x) => s + x, 0);
    const months = flows.cost.length;
    const projectedMonths = flows.projected.filter(Boolean).length;
    const horizon = projectedMonths > 0 ? 'projected' : 'measured';
    const resting = projectedMonths > 0 ? NOTES.projectedMonths(projectedMonths, months) : null;
    // Without CRM project costs (no finance data) nothing about the investment can be said.
    const reason = notMeasurable(flows, config);
    const unmeasured = { value: null, status: 'not_measurable', ...noteColumns(reason ?? EMPTY) } as const;
    // Without HR data the benefit is the margin uplift alone: every figure built on it says so.
    const caveat = benefitCaveat(config);
    const partial = caveat ? NOTES.partialBenefit(caveat) : null;
    const investment = (metric: (typeof METRICS)[number], value: number | null, note: Text) =>
      reason === null ? { metric, value, status: horizon, ...noteColumns(join(note, partial, resting)) } : { metric, ...unmeasured };
    const rows = [
      investment('total_investment', cost, NOTES.totalInvestment(months)),
      {
        metric: 'total_benefit',
        value: benefit,
        status: horizon,
        ...noteColumns(join(caveat ? NOTES.benefitMarginOnly(caveat) : NOTES.benefitFull(), resting)),
      },
      investment('roi', cost === 0 ? null : (benefit - cost) / cost, NOTES.roi()),
      investment('npv', result.npv, NOTES.npv(config.discount_rate)),
      investment('irr', result.irr, result.noIrr ? NOTES.noIrr(result.noIrr) : NOTES.irr()),
      reason === null ? payback(result.payback, flows, partial) : { metric: 'payback_months', ...unmeasured },
    ];
    await writeTable(warehouse, 'marts.crm_investment', [['metric', 'VARCHAR'], ['value', 'DOUBLE'], ['status', 'VARCHAR'], ['note', 'VARCHAR'], ['note_zh', 'VARCHAR']], rows);
  },
});

/** Payback, and whether the month it happens in was observed or projected. */
function payback(months: number | null, flows: Flows, partial: Text | null) {
  if (months === null) {
    const projected = flows.projected.some(Boolean);
    return { metric: 'payback_months', value: null, status: projected ? 'projected' : 'measured', ...noteColumns(join(NOTES.noPayback(projected), partial)) };
  }
  // paybackMonths counts whole months before the one that completes it: 24.4 is month 25's flow
  const period = months === 0 ? 0 : Math.min(flows.months.length - 1, Math.floor(months) + 1);
  if (flows.projected[period]) {
    return { metric: 'payback_months', value: months, status: 'projected', ...noteColumns(join(NOTES.paybackProjected(flows.months[period]!.slice(0, 7)), partial)) };
  }
  return { metric: 'payback_months', value: months, status: 'measured', ...noteColumns(join(NOTES.paybackMeasured(), partial)) };
}
