import { z } from 'zod';
import { literal } from '../../warehouse/warehouse.ts';
import { defineModel } from '../framework/model.ts';
import { monthOf } from './_cuts.ts';

export const model = defineModel({
  name: 'marts.cost_kpis_monthly',
  description:
    'Service cost and cost-effectiveness by month (METRICS.md §5): service cost, cost per ticket and per active customer, the agents’ loaded hourly cost, customer acquisition cost (客户获取成本), retention cost (客户保持成本) and profit contribution (客户利润贡献).',
  grain: 'one row per month',
  key: ['month'],
  dependsOn: ['staging.gl_entries', 'staging.tickets', 'staging.customers', 'staging.employees', 'staging.timesheets', 'marts.customer_months'],
  contract: z.object({
    month: z.iso.date(),
    service_cost: z.number().describe('ledger lines of cost centre customer_service'),
    cost_per_ticket: z.number().nullable().describe('service cost ÷ tickets created'),
    cost_per_active_customer: z.number().nullable(),
    agent_hourly_cost: z.number().nullable().describe('agent salaries (× FTE) ÷ agent hours worked'),
    cac: z.number().nullable().describe('(marketing + sales cost) ÷ new customers'),
    retention_cost: z.number().nullable().describe('(service + loyalty programme cost) ÷ retained customers (active this month and in the 12 before)'),
    profit_contribution: z.number().describe('gross margin of completed orders − service cost'),
  }),
  build: ({ config }) => {
    const loyalty = config.loyalty_programme_accounts.map(literal).join(', ') || "''";
    return `
    WITH ledger AS (
      SELECT ${monthOf('posted_on')} AS month,
        sum(amount) FILTER (WHERE cost_center = 'customer_service')::DOUBLE AS service_cost,
        coalesce(sum(amount) FILTER (WHERE cost_center IN ('marketing', 'sales') AND account NOT IN (${loyalty})), 0)::DOUBLE AS acquisition_cost,
        coalesce(sum(amount) FILTER (WHERE account IN (${loyalty})), 0)::DOUBLE AS loyalty_cost
      FROM staging.gl_entries GROUP BY 1),
    tickets AS (SELECT ${monthOf('created_at')} AS month, count(*) AS tickets FROM staging.tickets GROUP BY 1),
    customers AS (
      SELECT month, count(*) AS active, count(*) FILTER (WHERE previous_active_month >= month - INTERVAL 12 MONTH) AS retained,
             sum(gross_margin) AS gross_margin
      FROM marts.customer_months GROUP BY month),
    new_customers AS (SELECT ${monthOf('created_at')} AS month, count(*) AS new_customers FROM staging.customers GROUP BY 1),
    hours AS (
      SELECT ${monthOf('ts.work_date')} AS month, sum(ts.hours_worked) AS hours FROM staging.timesheets ts JOIN staging.employees e USING (employee_id)
      WHERE e.role = 'agent' GROUP BY 1),
    payroll AS (
      SELECT h.month, sum(e.monthly_salary * e.fte) AS salaries FROM hours h JOIN staging.employees e
        ON e.role = 'agent' AND e.hired_at < h.month + INTERVAL 1 MONTH AND (e.terminated_at IS NULL OR e.terminated_at >= h.month) GROUP BY h.month)
    SELECT l.month, coalesce(l.service_cost, 0) AS service_cost,
      l.service_cost / nullif(t.tickets, 0) AS cost_per_ticket,
      l.service_cost / nullif(c.active, 0) AS cost_per_active_customer,
      p.salaries / nullif(h.hours, 0) AS agent_hourly_cost,
      l.acquisition_cost / nullif(n.new_customers, 0) AS cac,
      (coalesce(l.service_cost, 0) + l.loyalty_cost) / nullif(c.retained, 0) AS retention_cost,
      coalesce(c.gross_margin, 0) - coalesce(l.service_cost, 0) AS profit_contribution
    FROM ledger l LEFT JOIN tickets t USING (month) LEFT JOIN customers c USING (month) LEFT JOIN new_customers n USING (month)
      LEFT JOIN hours h USING (month) LEFT JOIN payroll p USING (month)`;
  },
});
