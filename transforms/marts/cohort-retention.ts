import { z } from 'zod';
import { invariant } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';

export const model = defineModel({
  name: 'marts.cohort_retention',
  description: 'Cohort retention matrix: customers by the month of their first completed order, and the share who complete an order n months later.',
  grain: 'one row per cohort month and months since the first order',
  key: ['cohort_month', 'months_since_first'],
  dependsOn: ['marts.customer_months'],
  contract: z.object({
    cohort_month: z.iso.date(),
    months_since_first: z.int().min(0),
    customers: z.int().min(0).describe('customers in the cohort'),
    retained: z.int().min(0).describe('of them, customers with a completed order that month'),
    retention_rate: z.number().min(0).max(1),
  }),
  tests: [invariant('retained ≤ customers', 'retained <= customers', ['cohort_month', 'months_since_first'])],
  build: () => `
    WITH buys AS (SELECT customer_id, month FROM marts.customer_months WHERE completed_orders > 0),
    cohorts AS (SELECT customer_id, min(month) AS cohort_month FROM buys GROUP BY customer_id),
    sizes AS (SELECT cohort_month, count(*) AS customers FROM cohorts GROUP BY cohort_month),
    last_month AS (SELECT max(month) AS month FROM marts.customer_months),
    grid AS (
      SELECT s.cohort_month, s.customers, CAST(unnest(range(0, date_diff('month', s.cohort_month, l.month) + 1)) AS INT) AS months_since_first
      FROM sizes s CROSS JOIN last_month l)
    SELECT g.cohort_month, g.months_since_first, g.customers::BIGINT AS customers, count(b.customer_id)::BIGINT AS retained,
           count(b.customer_id) / g.customers AS retention_rate
    FROM grid g LEFT JOIN cohorts c ON c.cohort_month = g.cohort_month
      LEFT JOIN buys b ON b.customer_id = c.customer_id AND b.month = g.cohort_month + to_months(g.months_since_first)
    GROUP BY g.cohort_month, g.months_since_first, g.customers`,
});
