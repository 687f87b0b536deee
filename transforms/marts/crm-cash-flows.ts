import { addMonths, formatISO } from 'date-fns';
import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { provides } from '../../config/schema.ts';
import { defineModel } from '../framework/model.ts';
import { monthOf } from './_cuts.ts';
import { literal } from '../../warehouse/warehouse.ts';

/** Months at the end of the observed data whose average projects the rest of the horizon. */
const PROJECTION_BASIS_MONTHS = 6;

/**
 * The CRM investment's monthly cash flows from go-live over the horizon (METRICS.md §5).
 * Benefit = incremental gross margin (margin per treated customer against the pre-go-live
 * baseline, adjusted by the control group's change when one is configured, times the treated
 * customers) + service hours saved (pre-go-live AHT − this month's, × tickets) × the agents'
 * loaded hourly cost. Cost = ledger lines of project "crm"; what was spent before go-live is
 * the month-0 outflow. Months after the data ends repeat the average of the last six observed.
 * A source the company does not deliver (sources_provided) leaves its part NULL, never 0: no HR
 * data, no loaded hourly cost to value hours saved at; no finance data, no cost and no net flow.
 */
export const model = defineModel({
  name: 'marts.crm_cash_flows',
  description:
    'Monthly cash flows of the CRM investment from go-live over the configured horizon: incremental margin, service hours saved, CRM costs and the net flow; projected months are marked.',
  grain: 'one row per month from go-live',
  key: ['month'],
  dependsOn: ['marts.customer_months', 'marts.kpi_observations', 'marts.cost_kpis_monthly', 'staging.customers', 'staging.gl_entries'],
  contract: z.object({
    month: z.iso.date(),
    period: z.int().min(0).describe('months since go-live; 0 carries the spending before go-live'),
    margin_benefit: z.number().describe('incremental gross margin of treated customers'),
    service_benefit: z.number().nullable().describe('handle hours saved × loaded hourly cost; null without HR data'),
    crm_cost: z.number().min(0).nullable().describe('null without finance data'),
    cash_flow: z.number().nullable().describe('margin_benefit + service_benefit − crm_cost; null without finance data'),
    projected: z.boolean().describe('after the end of the data: the average of the last six observed months'),
  }),
  build: async ({ warehouse, config }) => {
    const goLive = config.crm_go_live;
    const pre = formatISO(addMonths(new Date(`${goLive}T00:00:00Z`), -12), { representation: 'date' });
    const control = config.control_group !== null;
    const hr = provides(config, 'hr');
    const finance = provides(config, 'finance');
    const observed = await warehouse.all<{ month: string; margin_benefit: number; service_benefit: number | null; crm_cost: number | null }>(`
      WITH months AS (SELECT DISTINCT month FROM marts.customer_months WHERE month >= DATE ${literal(goLive)}),
      groups AS (SELECT * FROM (VALUES (true), (false)) g(is_treated)),
      base AS (   -- customers acquired by the end of each month, per group
        SELECT m.month, g.is_treated, count(c.customer_id) AS customers
        FROM (SELECT DISTINCT month FROM marts.customer_months) m CROSS JOIN groups g
        LEFT JOIN (SELECT customer_id, created_at, coalesce(is_treated, true) AS is_treated FROM (
                     SELECT DISTINCT customer_id, is_treated FROM marts.customer_months) t JOIN staging.customers USING (customer_id)) c
          ON c.is_treated = g.is_treated AND c.created_at < m.month + INTERVAL 1 MONTH
        GROUP BY m.month, g.is_treated),
      margin AS (
        SELECT b.month, b.is_treated, b.customers, coalesce(sum(cm.gross_margin), 0) / nullif(b.customers, 0) AS per_customer
        FROM base b LEFT JOIN marts.customer_months cm ON cm.month = b.month AND cm.is_treated = b.is_treated GROUP BY b.month, b.is_treated, b.customers),
      baseline AS (SELECT is_treated, avg(per_customer) AS per_customer FROM margin WHERE month >= DATE ${literal(pre)} AND month < DATE ${literal(goLive)} GROUP BY is_treated),
      uplift AS (
        SELECT t.month,
          (t.per_customer - tb.per_customer * ${control ? 'coalesce(c.per_customer / nullif(cb.per_customer, 0), 1)' : '1'}) * t.customers AS margin_benefit
        FROM margin t JOIN baseline tb ON tb.is_treated AND t.is_treated
          LEFT JOIN margin c ON c.month = t.month AND NOT c.is_treated LEFT JOIN baseline cb ON NOT cb.is_treated
        WHERE t.month >= DATE ${literal(goLive)}),
      aht AS (SELECT month, avg(value) AS aht_minutes, count(*) AS tickets FROM marts.kpi_observations WHERE kpi = 'aht_minutes' AND is_treated GROUP BY month),
      aht_base AS (SELECT avg(value) AS aht_minutes FROM marts.kpi_observations WHERE kpi = 'aht_minutes' AND is_treated AND month >= DATE ${literal(pre)} AND month < DATE ${literal(goLive)}),
      service AS (
        SELECT a.month, (b.aht_minutes - a.aht_minutes) / 60.0 * a.tickets * k.agent_hourly_cost AS service_benefit
        FROM aht a CROSS JOIN aht_base b JOIN marts.cost_kpis_monthly k USING (month) WHERE a.month >= DATE ${literal(goLive)}),
      costs AS (
        SELECT greatest(${monthOf('posted_on')}, DATE ${literal(goLive)}) AS month, sum(amount)::DOUBLE AS crm_cost
        FROM staging.gl_entries WHERE project = 'crm' GROUP BY 1)
      SELECT strftime(m.month, '%Y-%m-%d') AS month, coalesce(u.margin_benefit, 0) AS margin_benefit,
             ${hr ? 'coalesce(s.service_benefit, 0)' : 'NULL::DOUBLE'} AS service_benefit,
             ${finance ? 'coalesce(c.crm_cost, 0)' : 'NULL::DOUBLE'} AS crm_cost
      FROM months m LEFT JOIN uplift u USING (month) LEFT JOIN service s USING (month) LEFT JOIN costs c USING (month)
      ORDER BY m.month`);

    const rows: Array<Record<string, unknown>> = [];
    const basis = observed.slice(-PROJECTION_BASIS_MONTHS);
    const average = (f: (r: (typeof observed)[number]) => number | null) => (basis.length ? basis.reduce((s, r) => s + (f(r) ?? 0), 0) / basis.length : 0);
    for (let period = 0; period < config.horizon_months; period++) {
      const month = formatISO(addMonths(new Date(`${goLive}T00:00:00Z`), period), { representation: 'date' }).slice(0, 8) + '01';
      const seen = observed.find((r) => r.month === month);
      const flow = seen ?? {
        month,
        margin_benefit: average((r) => r.margin_benefit),
        service_benefit: hr ? average((r) => r.service_benefit) : null,
        crm_cost: finance ? average((r) => r.crm_cost) : null,
      };
      const cashFlow = flow.crm_cost === null ? null : flow.margin_benefit + (flow.service_benefit ?? 0) - flow.crm_cost;
      rows.push({ ...flow, period, cash_flow: cashFlow, projected: !seen });
    }
    await writeTable(warehouse, 'marts.crm_cash_flows', [
      ['month', 'DATE'], ['period', 'BIGINT'], ['margin_benefit', 'DOUBLE'], ['service_benefit', 'DOUBLE'], ['crm_cost', 'DOUBLE'], ['cash_flow', 'DOUBLE'], ['projected', 'BOOLEAN'],
    ], rows);
  },
});
