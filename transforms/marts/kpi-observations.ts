import { z } from 'zod';
import { defineModel } from '../framework/model.ts';
import { relationship } from '../framework/data-tests.ts';
import { KPIS } from './_kpis.ts';
import { ageBand, isTreated, monthOf, purchaseBand } from './_cuts.ts';
import { literal } from '../../warehouse/warehouse.ts';

export const model = defineModel({
  name: 'marts.kpi_observations',
  description:
    'Every observation of a unit-level KPI (a survey answer, a ticket, a customer-month, a customer\'s trailing 12 months) with its value and the customer attributes the reports cut by. The monthly marts and the case study are built from it.',
  grain: 'one row per KPI and observed unit',
  key: ['kpi', 'unit_id'],
  dependsOn: ['staging.surveys', 'staging.tickets', 'staging.customers', 'staging.orders', 'marts.customer_months'],
  contract: z.object({
    kpi: z.enum(KPIS.map((k) => k.kpi) as [string, ...string[]]),
    unit_id: z.string().describe('response_id, ticket_id, or customer_id@month for customer-month and trailing-window KPIs'),
    customer_id: z.string(),
    observed_at: z.iso.datetime().describe('responded_at for surveys, created_at for tickets, the month for customer-months, the last month of the window for trailing-window KPIs'),
    month: z.iso.date().describe('first day of the month of observed_at'),
    channel: z.string().nullable().describe('ticket channel, when the KPI concerns a ticket'),
    priority: z.string().nullable().describe('ticket priority, when the KPI concerns a ticket'),
    segment: z.string().nullable(),
    region: z.string().nullable(),
    gender: z.string().nullable(),
    age_band: z.string(),
    purchase_frequency: z.enum(['none', '1', '2-3', '4+']).describe('completed orders in the 12 months up to the end of the observation month'),
    is_treated: z.boolean().describe('false for customers of the configured control group'),
    value: z.number().describe('1/0 for rates, ±100/0 for NPS, hours or minutes for times'),
  }),
  tests: [relationship('customer_id', 'staging.customers', 'customer_id', { severity: 'warn' })],
  // The purchase band counts completed orders in the 12 months up to the end of the observation's
  // month, as the difference of two as-of lookups in each customer's running order count (a
  // range join per observation costs far more at millions of rows).
  build: ({ config }) => `
    WITH running AS (
      SELECT customer_id, month, sum(completed_orders) OVER (PARTITION BY customer_id ORDER BY month) AS orders_so_far
      FROM marts.customer_months WHERE completed_orders > 0),
    observed AS (${KPIS.map(
      (k) => `SELECT ${literal(k.kpi)} AS kpi, o.unit_id, o.customer_id, o.observed_at, ${monthOf('o.observed_at')} AS month,
        CAST(o.channel AS VARCHAR) AS channel, CAST(o.priority AS VARCHAR) AS priority, CAST(o.value AS DOUBLE) AS value FROM (${k.observations}) o`,
    ).join('\n      UNION ALL\n')})
    SELECT o.kpi, o.unit_id, o.customer_id, o.observed_at, o.month, o.channel, o.priority,
      c.segment, c.region, c.gender, ${ageBand('c.birth_year', 'o.observed_at')} AS age_band,
      ${purchaseBand('coalesce(upto.orders_so_far, 0) - coalesce(before.orders_so_far, 0)')} AS purchase_frequency,
      coalesce(${isTreated(config)}, true) AS is_treated, o.value
    FROM observed o
      LEFT JOIN staging.customers c USING (customer_id)
      ASOF LEFT JOIN running upto ON upto.customer_id = o.customer_id AND o.month >= upto.month
      ASOF LEFT JOIN running before ON before.customer_id = o.customer_id AND o.month - INTERVAL 12 MONTH >= before.month`,
});
