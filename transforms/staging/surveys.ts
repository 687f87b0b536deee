import { surveys } from '../../sources/crm/surveys.ts';
import { relationship } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { latestVersion, rawTable, stagingContract } from './_staging.ts';

export const model = defineModel({
  name: 'staging.surveys',
  description: 'CSAT, NPS and CES responses with their comments.',
  grain: 'one row per survey response',
  key: surveys.key,
  dependsOn: [rawTable(surveys), 'staging.customers', 'staging.tickets'],
  contract: stagingContract(surveys),
  tests: [
    relationship('customer_id', 'staging.customers', 'customer_id', { severity: 'warn' }),
    relationship('ticket_id', 'staging.tickets', 'ticket_id', { severity: 'warn' }),
  ],
  build: () => latestVersion(surveys),
});
