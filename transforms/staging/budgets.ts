import { budgets } from '../../sources/finance/budgets.ts';
import { defineModel } from '../framework/model.ts';
import { latestVersion, rawTable, stagingContract } from './_staging.ts';

export const model = defineModel({
  name: 'staging.budgets',
  description: 'Monthly budgets per cost centre; empty when not delivered.',
  grain: 'one row per month and cost centre',
  key: budgets.key,
  dependsOn: [rawTable(budgets)],
  contract: stagingContract(budgets),
  build: () => latestVersion(budgets),
});
