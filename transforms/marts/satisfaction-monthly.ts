import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { invariant } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { npsInterval, SMALL_SAMPLE, wilson } from '../stats/proportions.ts';
import { byCut } from './_by-cut.ts';
import { CUTS } from './_cuts.ts';

const CUSTOMER_CUTS = CUTS.filter((c) => c !== 'channel');

const COLUMNS = [
  ['month', 'DATE'], ['cut', 'VARCHAR'], ['cut_value', 'VARCHAR'],
  ['csat', 'DOUBLE'], ['csat_avg', 'DOUBLE'], ['csat_n', 'BIGINT'], ['csat_ci_low', 'DOUBLE'], ['csat_ci_high', 'DOUBLE'],
  ['nps', 'DOUBLE'], ['nps_n', 'BIGINT'], ['nps_ci_low', 'DOUBLE'], ['nps_ci_high', 'DOUBLE'],
  ['ces_avg', 'DOUBLE'], ['ces_n', 'BIGINT'],
  ['complaint_rate', 'DOUBLE'], ['complaints', 'BIGINT'], ['retention_rate', 'DOUBLE'], ['retention_base', 'BIGINT'], ['active_customers', 'BIGINT'],
  ['small_sample', 'BOOLEAN'],
] as const;

type Cell = { month: string; cut: string; cut_value: string };

export const model = defineModel({
  name: 'marts.satisfaction_monthly',
  description:
    'Customer satisfaction by month and segment cut (METRICS.md §2): CSAT top-2-box and average, NPS, CES, complaint rate and retention, each rate with its sample size and 95% interval (Wilson for CSAT, the promoter − detractor standard error for NPS).',
  grain: 'one row per month, cut and cut value',
  key: ['month', 'cut', 'cut_value'],
  dependsOn: ['marts.kpi_observations', 'marts.customer_months'],
  contract: z.object({
    month: z.iso.date(),
    cut: z.enum(['all', ...CUTS]),
    cut_value: z.string(),
    csat: z.number().min(0).max(1).nullable().describe('share of CSAT answers scoring 4 or 5'),
    csat_avg: z.number().min(1).max(5).nullable(),
    csat_n: z.int().min(0),
    csat_ci_low: z.number().min(0).max(1).nullable(),
    csat_ci_high: z.number().min(0).max(1).nullable(),
    nps: z.number().min(-100).max(100).nullable().describe('% promoters − % detractors, in points'),
    nps_n: z.int().min(0),
    nps_ci_low: z.number().min(-100).max(100).nullable(),
    nps_ci_high: z.number().min(-100).max(100).nullable(),
    ces_avg: z.number().min(1).max(7).nullable(),
    ces_n: z.int().min(0),
    complaint_rate: z.number().min(0).nullable().describe('complaint tickets per 1,000 active customers'),
    complaints: z.int().min(0).nullable(),
    retention_rate: z.number().min(0).max(1).nullable().describe('of the customers active in the 12 previous months, the share active this month'),
    retention_base: z.int().min(0).nullable().describe('customers active in the 12 previous months'),
    active_customers: z.int().min(0).nullable(),
    small_sample: z.boolean().describe('CSAT or NPS computed from fewer than 30 answers: shown, but flagged'),
  }),
  tests: [
    invariant('csat_ci_low ≤ csat ≤ csat_ci_high', 'csat BETWEEN csat_ci_low AND csat_ci_high', ['month', 'cut', 'cut_value']),
    invariant('nps_ci_low ≤ nps ≤ nps_ci_high', 'nps BETWEEN nps_ci_low AND nps_ci_high', ['month', 'cut', 'cut_value']),
  ],
  build: async ({ warehouse }) => {
    const surveys = await warehouse.all<Cell & { csat_n: number; csat_hits: number; csat_avg: number | null; nps_n: number; promoters: number; detractors: number; ces_avg: number | null; ces_n: number }>(`
      SELECT strftime(month, '%Y-%m-%d') AS month, cut, cut_value,
        count(*) FILTER (WHERE kpi = 'csat')::BIGINT AS csat_n, coalesce(sum(value) FILTER (WHERE kpi = 'csat'), 0) AS csat_hits,
        avg(value) FILTER (WHERE kpi = 'csat_avg') AS csat_avg,
        count(*) FILTER (WHERE kpi = 'nps')::BIGINT AS nps_n,
        count(*) FILTER (WHERE kpi = 'nps' AND value > 0)::BIGINT AS promoters, count(*) FILTER (WHERE kpi = 'nps' AND value < 0)::BIGINT AS detractors,
        avg(value) FILTER (WHERE kpi = 'ces_avg') AS ces_avg, count(*) FILTER (WHERE kpi = 'ces_avg')::BIGINT AS ces_n
      FROM (${byCut(`(SELECT * FROM marts.kpi_observations WHERE kpi IN ('csat', 'csat_avg', 'nps', 'ces_avg'))`, 'month, kpi, value', CUTS)})
      GROUP BY ALL`);
    // Retention: a customer active in month a stays in the base of the months after it until
    // its next active month or 12 months, whichever is first; so each base month counts a
    // customer once.
    const customers = await warehouse.all<Cell & { active: number; complaints: number; retained: number; base: number }>(`
      WITH cm AS (
        SELECT *, lead(month) OVER w AS next_active_month,
               lag(segment) OVER w AS base_segment, lag(region) OVER w AS base_region, lag(gender) OVER w AS base_gender,
               lag(age_band) OVER w AS base_age_band, lag(purchase_frequency) OVER w AS base_purchase_frequency
        FROM marts.customer_months WINDOW w AS (PARTITION BY customer_id ORDER BY month)),
      base AS (
        SELECT customer_id, CAST(unnest(generate_series(month + INTERVAL 1 MONTH, least(month + INTERVAL 12 MONTH, coalesce(next_active_month, month + INTERVAL 12 MONTH)), INTERVAL 1 MONTH)) AS DATE) AS month,
               segment, region, gender, age_band, purchase_frequency
        FROM cm
      ),
      measures AS (
        SELECT month, 1 AS active, complaints, 0 AS retained, 0 AS base, segment, region, gender, age_band, purchase_frequency FROM cm
        UNION ALL
        -- a retained customer is counted in the cell of its base (its previous active month),
        -- so numerator and denominator agree when a band changes in between
        SELECT month, 0, 0, 1, 0, base_segment, base_region, base_gender, base_age_band, base_purchase_frequency
        FROM cm WHERE previous_active_month >= month - INTERVAL 12 MONTH
        UNION ALL
        SELECT month, 0, 0, 0, 1, segment, region, gender, age_band, purchase_frequency FROM base
      )
      SELECT strftime(month, '%Y-%m-%d') AS month, cut, cut_value, sum(active)::BIGINT AS active, sum(complaints)::BIGINT AS complaints,
             sum(retained)::BIGINT AS retained, sum(base)::BIGINT AS base
      FROM (${byCut('measures', 'month, active, complaints, retained, base', CUSTOMER_CUTS)})
      WHERE month <= (SELECT max(month) FROM marts.customer_months)
      GROUP BY ALL`);

    const cells = new Map<string, Record<string, unknown>>();
    const at = (c: Cell) => {
      const id = `${c.month}|${c.cut}|${c.cut_value}`;
      if (!cells.has(id)) cells.set(id, { month: c.month, cut: c.cut, cut_value: c.cut_value, csat_n: 0, nps_n: 0, ces_n: 0 });
      return cells.get(id)!;
    };
    for (const s of surveys) {
      const ci = wilson(s.csat_hits, s.csat_n);
      const nps = npsInterval(s.promoters, s.detractors, s.nps_n);
      Object.assign(at(s), {
        csat: s.csat_n > 0 ? s.csat_hits / s.csat_n : null, csat_avg: s.csat_avg, csat_n: s.csat_n, csat_ci_low: ci?.low, csat_ci_high: ci?.high,
        nps: nps?.nps, nps_n: s.nps_n, nps_ci_low: nps?.low, nps_ci_high: nps?.high, ces_avg: s.ces_avg, ces_n: s.ces_n,
      });
    }
    // Without any ticket delivered the complaint rate is unknown, not zero.
    const [{ tickets }] = await warehouse.all<{ tickets: number }>(`SELECT count(*)::BIGINT AS tickets FROM staging.tickets`);
    for (const c of customers) {
      Object.assign(at(c), {
        active_customers: c.active,
        complaints: tickets > 0 ? c.complaints : null,
        complaint_rate: tickets > 0 && c.active > 0 ? (c.complaints / c.active) * 1000 : null,
        retention_rate: c.base > 0 ? c.retained / c.base : null,
        retention_base: c.base,
      });
    }
    const rows = [...cells.values()].map((r) => ({
      ...r,
      small_sample: (Number(r.csat_n) > 0 && Number(r.csat_n) < SMALL_SAMPLE) || (Number(r.nps_n) > 0 && Number(r.nps_n) < SMALL_SAMPLE),
    }));
    await writeTable(warehouse, 'marts.satisfaction_monthly', COLUMNS, rows);
  },
});
