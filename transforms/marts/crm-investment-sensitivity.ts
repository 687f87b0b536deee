import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';
import { evaluate, notMeasurable, readFlows } from './_investment.ts';
import { EMPTY, noteColumns } from './_investment-notes.ts';

export const model = defineModel({
  name: 'marts.crm_investment_sensitivity',
  description:
    'How much the verdict depends on the assumptions (风险因素): NPV, IRR and payback with the benefits at 80% and 120%, and the discount rate 3 points lower and higher; null in every scenario when the verdict is not measurable (no finance data).',
  grain: 'one row per scenario',
  key: ['scenario'],
  dependsOn: ['marts.crm_cash_flows'],
  contract: z.object({
    scenario: z.enum(['base', 'benefit_-20%', 'benefit_+20%', 'discount_-3pts', 'discount_+3pts']),
    benefit_factor: z.number().positive(),
    discount_rate: z.number().describe('annual'),
    npv: z.number().nullable().describe('null when the investment is not measurable'),
    irr: z.number().nullable(),
    payback_months: z.number().nullable(),
    note: z.string().describe('empty, or why the scenario is not measurable (as in marts.crm_investment)'),
    note_zh: z.string().describe('the note in Simplified Chinese'),
  }),
  build: async ({ warehouse, config }) => {
    const flows = await readFlows(warehouse);
    const d = config.discount_rate;
    const scenarios = [
      ['base', 1, d], ['benefit_-20%', 0.8, d], ['benefit_+20%', 1.2, d], ['discount_-3pts', 1, Math.max(0, d - 0.03)], ['discount_+3pts', 1, d + 0.03],
    ] as const;
    // the same verdict as marts.crm_investment: a base NPV that is not measurable has no scenarios either
    const reason = notMeasurable(flows, config);
    const rows = scenarios.map(([scenario, factor, rate]) => {
      const note = noteColumns(reason ?? EMPTY);
      if (reason !== null) return { scenario, benefit_factor: factor, discount_rate: rate, npv: null, irr: null, payback_months: null, ...note };
      const r = evaluate(flows, { benefitFactor: factor, annualDiscountRate: rate });
      return { scenario, benefit_factor: factor, discount_rate: rate, npv: r.npv, irr: r.irr, payback_months: r.payback, ...note };
    });
    await writeTable(warehouse, 'marts.crm_investment_sensitivity', [
      ['scenario', 'VARCHAR'], ['benefit_factor', 'DOUBLE'], ['discount_rate', 'DOUBLE'], ['npv', 'DOUBLE'], ['irr', 'DOUBLE'], ['payback_months', 'DOUBLE'], ['note', 'VARCHAR'], ['note_zh', 'VARCHAR'],
    ], rows);
  },
});
