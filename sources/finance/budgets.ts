import { z } from 'zod';
import { col, defineEntity } from '../contract.ts';
import { CostCenter } from './gl-entries.ts';

export const BudgetSchema = z.object({
  month: col.date().describe('first day of the budget month'),
  cost_center: CostCenter.describe('cost centre'),
  amount: col.money().describe('budgeted amount'),
});
export type Budget = z.infer<typeof BudgetSchema>;

export const budgets = defineEntity({
  source: 'finance',
  entity: 'budgets',
  description: 'one row per month and cost centre',
  schema: BudgetSchema,
  key: ['month', 'cost_center'],
  // a budget is planned ahead
  mayBeFuture: ['month'],
  optional: true,
});
