import { interactions } from '../../sources/crm/interactions.ts';
import { relationship } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { latestVersion, rawTable, stagingContract } from './_staging.ts';

export const model = defineModel({
  name: 'staging.interactions',
  description: 'Customer touchpoints (互动).',
  grain: 'one row per interaction',
  key: interactions.key,
  dependsOn: [rawTable(interactions), 'staging.customers'],
  contract: stagingContract(interactions),
  tests: [relationship('customer_id', 'staging.customers', 'customer_id', { severity: 'warn' })],
  build: () => latestVersion(interactions),
});
