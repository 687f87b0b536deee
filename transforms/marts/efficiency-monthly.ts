import { z } from 'zod';
import { literal } from '../../warehouse/warehouse.ts';
import { invariant } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { byCut } from './_by-cut.ts';
import { monthOf } from './_cuts.ts';
import { businessHours, slaHours } from './_business-hours.ts';

const CUTS = ['channel', 'priority', 'segment', 'region'] as const;
const HOURS = (from: string, to: string) => `date_diff('second', ${from}, ${to}) / 3600.0`;
const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;

/**
 * Service efficiency by month (of created_at) and cut (METRICS.md §4). Times are calendar
 * hours. The time statistics come from marts.kpi_observations, so they are the case study's
 * KPIs; SLA, backlog and close rate are judged per ticket here; agent productivity only exists
 * for the whole company (cut 'all').
 */
export const model = defineModel({
  name: 'marts.efficiency_monthly',
  description:
    'Response and resolution times (median, p90, mean), first-contact resolution, handle time, SLA attainment, reopen rate, backlog, close rate, agent productivity and customer-wait vs internal time, by month and cut.',
  grain: 'one row per month, cut and cut value',
  key: ['month', 'cut', 'cut_value'],
  dependsOn: ['marts.kpi_observations', 'staging.tickets', 'staging.ticket_events', 'staging.customers', 'staging.employees', 'staging.timesheets'],
  contract: z.object({
    month: z.iso.date(),
    cut: z.enum(['all', ...CUTS]),
    cut_value: z.string(),
    tickets: z.int().min(0).describe('tickets created in the month'),
    first_response_hours_median: z.number().min(0).nullable(),
    first_response_hours_p90: z.number().min(0).nullable(),
    first_response_hours_mean: z.number().min(0).nullable(),
    resolution_hours_median: z.number().min(0).nullable(),
    resolution_hours_p90: z.number().min(0).nullable(),
    resolution_hours_mean: z.number().min(0).nullable(),
    fcr: z.number().min(0).max(1).nullable().describe('resolved with contacts = 1 and reopened = 0 ÷ resolved'),
    aht_minutes: z.number().min(0).nullable(),
    sla_first_response: z.number().min(0).max(1).nullable().describe('share meeting the first-response target of their priority (calendar or business hours, as sla.hours says); unanswered past the target is a miss'),
    sla_resolution: z.number().min(0).max(1).nullable(),
    reopen_rate: z.number().min(0).max(1).nullable(),
    backlog: z.int().min(0).describe('tickets open at the end of the month (created by then, not resolved by then)'),
    close_rate: z.number().min(0).max(1).nullable().describe('tickets created in the month that are closed ÷ tickets created in the month'),
    tickets_per_agent_day: z.number().min(0).nullable().describe('resolved tickets ÷ agent working days (cut all only)'),
    occupancy: z.number().min(0).nullable().describe('handle time ÷ agent hours worked (cut all only)'),
    customer_wait_hours_mean: z.number().min(0).nullable().describe('time in pending_customer (外部等待), from ticket_events'),
    internal_hours_mean: z.number().min(0).nullable().describe('resolution time minus customer wait (内部处理)'),
    first_response_business_hours_median: z.number().min(0).nullable().describe('in working hours of the configured calendar (sla.hours = business only)'),
    resolution_business_hours_median: z.number().min(0).nullable().describe('in working hours of the configured calendar (sla.hours = business only)'),
  }),
  tests: [
    invariant('median ≤ p90', 'first_response_hours_median <= first_response_hours_p90 + 1e-9', ['month', 'cut', 'cut_value']),
  ],
  build: ({ config }) => {
    const business = config.sla.hours === 'business';
    const sla = (from: string, to: string) => slaHours(config, from, to);
    const target = (kind: 'first_response_hours' | 'resolution_hours') =>
      `CASE t.priority ${PRIORITIES.map((p) => `WHEN ${literal(p)} THEN ${config.sla[kind][p]}`).join(' ')} END`;
    return `
    WITH data_end AS (SELECT max(created_at) AS at FROM staging.tickets),
    waits AS (
      SELECT ticket_id,
        sum(CASE WHEN status = 'pending_customer' THEN ${HOURS('"at"', 'next_at')} ELSE 0 END) AS customer_wait_hours
      FROM (SELECT ticket_id, status, "at", lead("at") OVER (PARTITION BY ticket_id ORDER BY "at") AS next_at FROM staging.ticket_events)
      WHERE next_at IS NOT NULL GROUP BY ticket_id
    ),
    t AS (
      SELECT t.ticket_id, ${monthOf('t.created_at')} AS month, t.channel, t.priority, c.segment, c.region, t.handle_seconds,
        t.closed_at IS NOT NULL AS is_closed, t.resolved_at IS NOT NULL AS is_resolved,
        CASE WHEN t.first_response_at IS NOT NULL THEN ${sla('t.created_at', 't.first_response_at')} <= ${target('first_response_hours')}
             WHEN ${sla('t.created_at', 'd.at')} > ${target('first_response_hours')} THEN false END AS met_first_response,
        CASE WHEN t.resolved_at IS NOT NULL THEN ${sla('t.created_at', 't.resolved_at')} <= ${target('resolution_hours')}
             WHEN ${sla('t.created_at', 'd.at')} > ${target('resolution_hours')} THEN false END AS met_resolution,
        ${business ? businessHours(config, 't.created_at', 't.first_response_at') : 'NULL'} AS first_response_business_hours,
        ${business ? businessHours(config, 't.created_at', 't.resolved_at') : 'NULL'} AS resolution_business_hours,
        w.customer_wait_hours,
        CASE WHEN t.resolved_at IS NOT NULL AND w.customer_wait_hours IS NOT NULL THEN ${HOURS('t.created_at', 't.resolved_at')} - w.customer_wait_hours END AS internal_hours
      FROM staging.tickets t CROSS JOIN data_end d LEFT JOIN staging.customers c USING (customer_id) LEFT JOIN waits w USING (ticket_id)
    ),
    ticket_stats AS (
      SELECT month, cut, cut_value, count(*)::BIGINT AS tickets,
        avg(met_first_response::INT) AS sla_first_response, avg(met_resolution::INT) AS sla_resolution,
        avg(is_closed::INT) AS close_rate,
        median(first_response_business_hours) AS first_response_business_hours_median,
        median(resolution_business_hours) AS resolution_business_hours_median,
        avg(customer_wait_hours) FILTER (WHERE is_resolved) AS customer_wait_hours_mean, avg(internal_hours) AS internal_hours_mean
      FROM (${byCut('t', 'month, met_first_response, met_resolution, is_closed, is_resolved, customer_wait_hours, internal_hours, first_response_business_hours, resolution_business_hours', CUTS)})
      GROUP BY ALL
    ),
    observed AS (
      SELECT month, cut, cut_value,
        quantile_cont(value, 0.5) FILTER (WHERE kpi = 'first_response_hours') AS first_response_hours_median,
        quantile_cont(value, 0.9) FILTER (WHERE kpi = 'first_response_hours') AS first_response_hours_p90,
        avg(value) FILTER (WHERE kpi = 'first_response_hours') AS first_response_hours_mean,
        quantile_cont(value, 0.5) FILTER (WHERE kpi = 'resolution_hours') AS resolution_hours_median,
        quantile_cont(value, 0.9) FILTER (WHERE kpi = 'resolution_hours') AS resolution_hours_p90,
        avg(value) FILTER (WHERE kpi = 'resolution_hours') AS resolution_hours_mean,
        avg(value) FILTER (WHERE kpi = 'fcr') AS fcr,
        avg(value) FILTER (WHERE kpi = 'aht_minutes') AS aht_minutes,
        avg(value) FILTER (WHERE kpi = 'reopen_rate') AS reopen_rate
      FROM (${byCut(`(SELECT * FROM marts.kpi_observations WHERE kpi IN ('first_response_hours', 'resolution_hours', 'fcr', 'aht_minutes', 'reopen_rate'))`, 'month, kpi, value', CUTS)})
      GROUP BY ALL
    ),
    months AS (SELECT DISTINCT month FROM t),
    backlog AS (
      SELECT m.month, cut, cut_value, count(*)::BIGINT AS backlog
      FROM months m JOIN (${byCut(`(SELECT tk.created_at, tk.resolved_at, tk.channel, tk.priority, c.segment, c.region FROM staging.tickets tk LEFT JOIN staging.customers c USING (customer_id))`, 'created_at, resolved_at', CUTS)}) b
        ON b.created_at < m.month + INTERVAL 1 MONTH AND (b.resolved_at IS NULL OR b.resolved_at >= m.month + INTERVAL 1 MONTH)
      GROUP BY ALL
    ),
    agents AS (
      SELECT ${monthOf('ts.work_date')} AS month, count(*) FILTER (WHERE ts.hours_worked > 0) AS agent_days, sum(ts.hours_worked) AS agent_hours
      FROM staging.timesheets ts JOIN staging.employees e USING (employee_id) WHERE e.role = 'agent' GROUP BY ALL
    ),
    work AS (
      SELECT month, count(*) FILTER (WHERE is_resolved) AS resolved, sum(handle_seconds) / 3600.0 AS handle_hours FROM t GROUP BY month
    )
    SELECT s.month, s.cut, s.cut_value, s.tickets,
      o.first_response_hours_median, o.first_response_hours_p90, o.first_response_hours_mean,
      o.resolution_hours_median, o.resolution_hours_p90, o.resolution_hours_mean, o.fcr, o.aht_minutes,
      s.sla_first_response, s.sla_resolution, o.reopen_rate, coalesce(b.backlog, 0)::BIGINT AS backlog, s.close_rate,
      CASE WHEN s.cut = 'all' AND a.agent_days > 0 THEN w.resolved / a.agent_days END AS tickets_per_agent_day,
      CASE WHEN s.cut = 'all' AND a.agent_hours > 0 THEN w.handle_hours / a.agent_hours END AS occupancy,
      s.customer_wait_hours_mean, s.internal_hours_mean, s.first_response_business_hours_median, s.resolution_business_hours_median
    FROM ticket_stats s
      LEFT JOIN observed o USING (month, cut, cut_value)
      LEFT JOIN backlog b USING (month, cut, cut_value)
      LEFT JOIN agents a USING (month)
      LEFT JOIN work w USING (month)`;
  },
});
