import { z } from 'zod';
import { orders } from '../../sources/crm/orders.ts';
import { invariant, relationship } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { latestVersion, rawTable, stagingContract } from './_staging.ts';

export const model = defineModel({
  name: 'staging.orders',
  description: 'Orders, deduplicated; a missing gross margin is estimated with the configured margin rate.',
  grain: 'one row per order',
  key: orders.key,
  dependsOn: [rawTable(orders), 'staging.customers'],
  contract: stagingContract(orders).extend({
    gross_margin: z.number().describe('as delivered, or amount × margin_rate when the source had none'),
    is_margin_estimated: z.boolean().describe('true when gross_margin came from the configured margin rate'),
  }),
  tests: [
    relationship('customer_id', 'staging.customers', 'customer_id', { severity: 'warn' }),
    invariant('gross_margin ≤ amount', 'gross_margin <= amount', orders.key),
  ],
  build: ({ config }) =>
    `SELECT * REPLACE (coalesce(gross_margin, CAST(amount * ${Number(config.margin_rate)} AS DECIMAL(18,4))) AS gross_margin),
            gross_margin IS NULL AS is_margin_estimated
     FROM (${latestVersion(orders)})`,
});
