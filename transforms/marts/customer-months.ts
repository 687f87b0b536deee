import { z } from 'zod';
import { defineModel } from '../framework/model.ts';
import { ageBand, isTreated, monthOf, purchaseBand } from './_cuts.ts';

/**
 * A customer is active in a month if it ordered, opened a ticket or interacted (METRICS.md §2).
 * One row per active customer-month carries what loyalty, satisfaction and cost need: counts,
 * the customer's cuts at that month, and the month it was last active before (for retention).
 */
export const model = defineModel({
  name: 'marts.customer_months',
  description: 'Every month in which a customer was active (ordered, opened a ticket or interacted), with its counts and cuts.',
  grain: 'one row per customer and active month',
  key: ['customer_id', 'month'],
  dependsOn: ['staging.customers', 'staging.orders', 'staging.tickets', 'staging.interactions'],
  contract: z.object({
    customer_id: z.string(),
    month: z.iso.date(),
    orders: z.int().min(0),
    completed_orders: z.int().min(0),
    revenue: z.number().min(0).describe('amount of completed orders'),
    gross_margin: z.number().describe('gross margin of completed orders'),
    tickets: z.int().min(0),
    complaints: z.int().min(0),
    interactions: z.int().min(0),
    previous_active_month: z.iso.date().nullable().describe('the last month before this one in which the customer was active'),
    segment: z.string().nullable(),
    region: z.string().nullable(),
    gender: z.string().nullable(),
    age_band: z.string(),
    purchase_frequency: z.enum(['none', '1', '2-3', '4+']).describe('completed orders in the 12 months up to the end of this month'),
    is_treated: z.boolean(),
  }),
  build: ({ config }) => `
    WITH events AS (
      SELECT customer_id, ${monthOf('ordered_at')} AS month, 1 AS orders, (status = 'completed')::INT AS completed_orders,
             CASE WHEN status = 'completed' THEN amount ELSE 0 END AS revenue, CASE WHEN status = 'completed' THEN gross_margin ELSE 0 END AS gross_margin,
             0 AS tickets, 0 AS complaints, 0 AS interactions FROM staging.orders
      UNION ALL
      SELECT customer_id, ${monthOf('created_at')}, 0, 0, 0, 0, 1, is_complaint::INT, 0 FROM staging.tickets
      UNION ALL
      SELECT customer_id, ${monthOf('occurred_at')}, 0, 0, 0, 0, 0, 0, 1 FROM staging.interactions
    ),
    months AS (
      SELECT customer_id, month, sum(orders)::BIGINT AS orders, sum(completed_orders)::BIGINT AS completed_orders,
             CAST(sum(revenue) AS DOUBLE) AS revenue, CAST(sum(gross_margin) AS DOUBLE) AS gross_margin,
             sum(tickets)::BIGINT AS tickets, sum(complaints)::BIGINT AS complaints, sum(interactions)::BIGINT AS interactions
      FROM events GROUP BY ALL
    ),
    with_history AS (
      SELECT *, lag(month) OVER (PARTITION BY customer_id ORDER BY month) AS previous_active_month,
             sum(completed_orders) OVER (PARTITION BY customer_id ORDER BY month RANGE BETWEEN INTERVAL 11 MONTH PRECEDING AND CURRENT ROW) AS orders_12m
      FROM months
    )
    SELECT t.customer_id, t.month, t.orders, t.completed_orders, t.revenue, t.gross_margin, t.tickets, t.complaints, t.interactions,
           t.previous_active_month, c.segment, c.region, c.gender, ${ageBand('c.birth_year', 't.month')} AS age_band,
           ${purchaseBand('t.orders_12m')} AS purchase_frequency,
           coalesce(${isTreated(config)}, true) AS is_treated
    FROM with_history t LEFT JOIN staging.customers c USING (customer_id)`,
});
