import { createHash } from 'node:crypto';
import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';
import { expectedPurchases, expectedSpend, probabilityAlive, type BgNbdParams, type GammaGammaParams } from '../stats/clv.ts';
import { monthlyRate } from '../stats/finance.ts';
import { calibrationEnd, clvInputs, unitsPerMonth, type ClvInput } from './_clv-inputs.ts';
import { literal } from '../../warehouse/warehouse.ts';

const RFM_SEGMENTS = ['champions', 'loyal', 'potential_loyalist', 'new', 'needs_attention', 'at_risk', 'hibernating', 'lost'] as const;
const STAGES = ['prospect', 'new', 'active', 'loyal', 'at_risk', 'churned'] as const;
/** P(alive) below this marks a customer at risk */
const AT_RISK_P_ALIVE = 0.5;

export const model = defineModel({
  name: 'marts.customer_value',
  description:
    'Customer lifetime value (客户生命周期价值) per customer at the calibration end: historical gross margin, BG/NBD P(alive) and expected purchases over the horizon, Gamma-Gamma spend, and the discounted predicted margin (clv); RFM quintiles with named segments; lifecycle stage (客户分类).',
  grain: 'one row per customer',
  key: ['customer_id'],
  dependsOn: ['marts.clv_model', 'staging.customers', 'staging.orders', 'staging.tickets', 'staging.interactions', 'staging.gl_entries'],
  contract: z.object({
    customer_id: z.string(),
    customer_key: z.string().describe('salted SHA-256 of customer_id, first 16 hex digits: how a report names a customer'),
    frequency: z.int().min(0).nullable().describe('repeat purchase days up to the calibration end'),
    recency: z.number().min(0).nullable().describe('first to last purchase, in the CLV time unit'),
    t: z.number().min(0).nullable().describe('first purchase to calibration end, in the CLV time unit'),
    monetary: z.number().min(0).nullable().describe('mean spend of repeat purchase days'),
    p_alive: z.number().min(0).max(1).nullable(),
    expected_purchases: z.number().min(0).nullable().describe('expected purchases over the configured horizon'),
    clv: z.number().nullable().describe('expected gross margin over the horizon, discounted monthly at the configured rate'),
    historical_value: z.number().describe('gross margin of completed orders so far'),
    cost_to_serve: z.number().min(0).describe("service cost so far allocated by the customer's share of ticket handle time (of tickets when handle time is unknown)"),
    profit_contribution: z.number().describe('客户利润贡献: historical_value − cost_to_serve'),
    rfm_r: z.int().min(1).max(5).nullable(),
    rfm_f: z.int().min(1).max(5).nullable(),
    rfm_m: z.int().min(1).max(5).nullable(),
    rfm_segment: z.enum(RFM_SEGMENTS).nullable(),
    lifecycle_stage: z.enum(STAGES),
  }),
  build: async ({ warehouse, config, piiSalt }) => {
    // The published snapshot leaves the salt behind, so a reader of a report cannot turn the
    // key back into the CRM's customer id.
    const customerKey = (id: string) => createHash('sha256').update(piiSalt + id).digest('hex').slice(0, 16);
    const end = (await calibrationEnd(warehouse, config)) ?? '1970-01-01';
    const params = await warehouse.all<{ model: string; parameter: string; value: number }>(`SELECT model, parameter, value FROM marts.clv_model`);
    const get = (m: string) => Object.fromEntries(params.filter((p) => p.model === m).map((p) => [p.parameter, p.value]));
    const bg = params.some((p) => p.model === 'bg_nbd') ? (get('bg_nbd') as unknown as BgNbdParams) : null;
    const gg = params.some((p) => p.model === 'gamma_gamma') ? (get('gamma_gamma') as unknown as GammaGammaParams) : null;
    const inputs = new Map<string, ClvInput>((await clvInputs(warehouse, config, end)).map((c) => [c.customer_id, c]));
    const rfm = await warehouse.all<{ customer_id: string; r: number | null; f: number | null; m: number | null; first_order: string | null; last_activity: string | null }>(`
      WITH orders AS (
        SELECT customer_id, max(ordered_at) AS last_order, min(ordered_at) AS first_order, count(*) AS n, sum(amount) AS revenue
        FROM staging.orders WHERE status = 'completed' AND CAST(ordered_at AS DATE) <= DATE ${literal(end)} GROUP BY ALL),
      activity AS (
        SELECT customer_id, max(happened_at) AS last_activity FROM (
          SELECT customer_id, ordered_at AS happened_at FROM staging.orders UNION ALL SELECT customer_id, created_at FROM staging.tickets
          UNION ALL SELECT customer_id, occurred_at FROM staging.interactions) WHERE CAST(happened_at AS DATE) <= DATE ${literal(end)} GROUP BY ALL),
      scored AS (
        -- ties (same day, same count) are broken by customer id, never by the order rows happen to be in
        SELECT customer_id, ntile(5) OVER (ORDER BY last_order, customer_id) AS r, ntile(5) OVER (ORDER BY n, customer_id) AS f,
               ntile(5) OVER (ORDER BY revenue, customer_id) AS m, first_order
        FROM orders)
      SELECT c.customer_id, s.r, s.f, s.m, strftime(s.first_order, '%Y-%m-%d') AS first_order, strftime(a.last_activity, '%Y-%m-%d') AS last_activity
      FROM staging.customers c LEFT JOIN scored s USING (customer_id) LEFT JOIN activity a USING (customer_id)
      ORDER BY c.customer_id`);

    // Cost to serve: the service cost up to the calibration end, shared out by handle time.
    const serve = new Map(
      (await warehouse.all<{ customer_id: string; cost: number }>(`
        WITH service AS (SELECT coalesce(sum(amount), 0)::DOUBLE AS cost FROM staging.gl_entries WHERE cost_center = 'customer_service' AND posted_on <= DATE ${literal(end)}),
        effort AS (SELECT customer_id, coalesce(sum(handle_seconds), 0) AS seconds, count(*) AS tickets FROM staging.tickets
                   WHERE CAST(created_at AS DATE) <= DATE ${literal(end)} GROUP BY customer_id),
        totals AS (SELECT sum(seconds) AS seconds, sum(tickets) AS tickets FROM effort)
        SELECT e.customer_id, s.cost * CASE WHEN t.seconds > 0 THEN e.seconds / t.seconds ELSE e.tickets / t.tickets END AS cost
        FROM effort e CROSS JOIN service s CROSS JOIN totals t`)).map((r) => [r.customer_id, r.cost]),
    );
    const months = config.horizon_months;
    const unit = unitsPerMonth(config);
    const discount = monthlyRate(config.discount_rate);
    const population = gg ? (gg.gamma * gg.p) / (gg.q - 1) : null;
    const daysBefore = (date: string | null) => (date === null ? Infinity : (Date.parse(end) - Date.parse(date)) / 86_400_000);

    const rows = rfm.map((c) => {
      const input = inputs.get(c.customer_id);
      const pAlive = bg && input ? probabilityAlive(bg, input) : null;
      let clv: number | null = null;
      let expected: number | null = null;
      if (bg && input) {
        expected = expectedPurchases(bg, input, months * unit);
        const spend = gg && input.frequency > 0 && input.mean_spend > 0 ? expectedSpend(gg, input.frequency, input.mean_spend) : population;
        const margin = input.margin_rate ?? config.margin_rate;
        if (spend !== null) {
          clv = 0;
          let before = 0;
          for (let m = 1; m <= months; m++) {
            const upTo = expectedPurchases(bg, input, m * unit);
            clv += ((upTo - before) * spend * margin) / (1 + discount) ** m;
            before = upTo;
          }
        }
      }
      const rfmSegment = c.r === null || c.f === null ? null : segment(c.r, c.f);
      const inactiveDays = daysBefore(c.last_activity);
      const stage: (typeof STAGES)[number] =
        !input ? 'prospect'
        : inactiveDays > config.churn_inactivity_days ? 'churned'
        : daysBefore(c.first_order) <= 90 ? 'new'
        : (pAlive !== null && pAlive < AT_RISK_P_ALIVE) || inactiveDays > config.churn_inactivity_days / 2 ? 'at_risk'
        : input.frequency >= 1 && (c.m ?? 0) >= 4 ? 'loyal'
        : 'active';
      return {
        customer_id: c.customer_id, customer_key: customerKey(c.customer_id), frequency: input?.frequency ?? null, recency: input?.recency ?? null, t: input?.T ?? null,
        monetary: input ? input.mean_spend : null, p_alive: pAlive, expected_purchases: expected, clv,
        historical_value: input?.historical_value ?? 0, cost_to_serve: serve.get(c.customer_id) ?? 0,
        profit_contribution: (input?.historical_value ?? 0) - (serve.get(c.customer_id) ?? 0), rfm_r: c.r, rfm_f: c.f, rfm_m: c.m, rfm_segment: rfmSegment, lifecycle_stage: stage,
      };
    });
    await writeTable(warehouse, 'marts.customer_value', [
      ['customer_id', 'VARCHAR'], ['customer_key', 'VARCHAR'], ['frequency', 'BIGINT'], ['recency', 'DOUBLE'], ['t', 'DOUBLE'], ['monetary', 'DOUBLE'], ['p_alive', 'DOUBLE'],
      ['expected_purchases', 'DOUBLE'], ['clv', 'DOUBLE'], ['historical_value', 'DOUBLE'], ['cost_to_serve', 'DOUBLE'], ['profit_contribution', 'DOUBLE'], ['rfm_r', 'BIGINT'], ['rfm_f', 'BIGINT'], ['rfm_m', 'BIGINT'],
      ['rfm_segment', 'VARCHAR'], ['lifecycle_stage', 'VARCHAR'],
    ], rows);
  },
});

/** Named RFM segments from the recency and frequency quintiles (5 = most recent / most frequent). */
function segment(r: number, f: number): (typeof RFM_SEGMENTS)[number] {
  if (r >= 4 && f >= 4) return 'champions';
  if (f >= 4 && r >= 2) return 'loyal';
  if (r >= 4 && f >= 2) return 'potential_loyalist';
  if (r >= 4) return 'new';
  if (r <= 2 && f >= 3) return 'at_risk';
  if (r === 1) return 'lost';
  if (r === 2) return 'hibernating';
  return 'needs_attention';
}
