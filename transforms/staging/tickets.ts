import { tickets } from '../../sources/crm/tickets.ts';
import { invariant, relationship } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { latestVersion, rawTable, stagingContract } from './_staging.ts';

export const model = defineModel({
  name: 'staging.tickets',
  description: 'Service requests (服务请求), complaints included, deduplicated to their latest state.',
  grain: 'one row per ticket',
  key: tickets.key,
  dependsOn: [rawTable(tickets), 'staging.customers', 'staging.employees'],
  contract: stagingContract(tickets),
  tests: [
    relationship('customer_id', 'staging.customers', 'customer_id', { severity: 'warn' }),
    relationship('agent_id', 'staging.employees', 'employee_id', { severity: 'warn' }),
    invariant('resolved_at ≥ created_at', 'resolved_at >= created_at', tickets.key),
    invariant('closed_at ≥ created_at', 'closed_at >= created_at', tickets.key),
  ],
  build: () => latestVersion(tickets),
});
