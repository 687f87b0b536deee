import { z } from 'zod';
import { defineModel } from '../framework/model.ts';
import { relationship } from '../framework/data-tests.ts';
import { KPIS } from './_kpis.ts';
import { ageBand, isTreated, monthOf, purchaseBand } from './_cuts.ts';

export const model = defineModel({
  name: 'marts.kpi_observations',
  description:
    'Every observation of a unit-level KPI (a survey answer, a ticket) with its value and the customer attributes the reports cut by. The monthly marts and the case study are built from it.',
  grain: 'one row per KPI and observed unit',
  key: ['kpi', 'unit_id'],
  dependsOn: ['staging.surveys', 'staging.tickets', 'staging.customers', 'staging.orders', 'marts.customer_months'],
  contract: z.object({
    kpi: z.enum(KPIS.map((k) => k.kpi) as [string, ...string[]]),
    unit_id: z.string().describe('response_id, ticket_id, or customer_id@month for customer-month KPIs'),
    customer_id: z.string(),
    observed_at: z.iso.datetime().describe('responded_at for surveys, created_at for tickets, the month for customer-months'),
    month: z.iso.date().describe('first day of the month of observed_at'),
    channel: z.string().nullable().describe('ticket channel, when the KPI concerns a ticket'),
    priority: z.string().nullable().describe('ticket priority, when the KPI concerns a ticket'),
    segment: z.string().nullable(),
    region: z.string().nullable(),
    gender: z.string().nullable(),
    age_band: z.string(),
    purchase_frequency: z.enum(['none', '1', '2-3', '4+']).describe('completed orders in the 12 months up to the observation'),
    is_treated: z.boolean().describe('false for customers of the configured control group'),
    value: z.number().describe('1/0 for rates, ±100/0 for NPS, hours or minutes for times'),
  }),
  tests: [relationship('customer_id', 'staging.customers', 'customer_id', { severity: 'warn' })],
  build: ({ config }) =>
    KPIS.map(
      (k) => `SELECT '${k.kpi}' AS kpi, o.unit_id, o.customer_id, o.observed_at, ${monthOf('o.observed_at')} AS month, CAST(o.channel AS VARCHAR) AS channel, CAST(o.priority AS VARCHAR) AS priority,
        c.segment, c.region, c.gender, ${ageBand('c.birth_year', 'o.observed_at')} AS age_band,
        ${purchaseBand('o.customer_id', 'o.observed_at')} AS purchase_frequency,
        coalesce(${isTreated(config)}, true) AS is_treated, CAST(o.value AS DOUBLE) AS value
      FROM (${k.observations}) o LEFT JOIN staging.customers c USING (customer_id)`,
    ).join('\nUNION ALL\n'),
});
