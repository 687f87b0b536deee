import { z } from 'zod';
import { defineModel } from '../framework/model.ts';
import { byCut } from './_by-cut.ts';
import { monthOf } from './_cuts.ts';

/** Cuts by attributes a customer keeps, so trailing windows compare like with like. */
const CUTS = ['segment', 'region', 'gender'] as const;

/**
 * Loyalty by month and cut (METRICS.md §3). Windows are whole months: the 12-month window of
 * the repeat purchase rate is this month and the 11 before (defined once, in _kpis.ts, where
 * the case study takes it from too); the churn window (180 days by
 * default) is rounded to months, a customer active in the year before it and not in it is
 * churned. Months whose windows reach back before the first month of data have no rate.
 */
export const model = defineModel({
  name: 'marts.loyalty_monthly',
  description:
    'Loyalty (客户忠诚度) by month and cut: active and new customers, repeat purchase rate (复购率), referral rate (推荐率) and conversion, churn rate (流失率), average order value (客单价), purchase frequency, customer growth (客户增长率) and engagement (客户活跃度).',
  grain: 'one row per month, cut and cut value',
  key: ['month', 'cut', 'cut_value'],
  dependsOn: ['marts.customer_months', 'marts.kpi_observations', 'staging.customers', 'staging.referrals'],
  contract: z.object({
    month: z.iso.date(),
    cut: z.enum(['all', ...CUTS]),
    cut_value: z.string(),
    active_customers: z.int().min(0),
    new_customers: z.int().min(0).describe('customers created this month'),
    repeat_purchase_rate: z.number().min(0).max(1).nullable().describe('customers with ≥ 2 completed orders in the trailing 12 months ÷ those with ≥ 1'),
    referral_rate: z.number().min(0).max(1).nullable().describe('active customers who referred someone this month ÷ active customers'),
    referral_conversion: z.number().min(0).max(1).nullable().describe('converted referrals ÷ referrals made this month'),
    churn_rate: z.number().min(0).max(1).nullable().describe('customers active in the 12 months before the churn window and not in it ÷ those customers'),
    aov: z.number().min(0).nullable().describe('revenue ÷ completed orders'),
    purchase_frequency: z.number().min(0).nullable().describe('completed orders ÷ customers who completed one'),
    customer_growth_rate: z.number().min(0).nullable().describe('new customers ÷ customers acquired before this month'),
    interactions_per_active_customer: z.number().min(0).nullable(),
    engaged_rate: z.number().min(0).max(1).nullable().describe('active customers with at least one interaction ÷ active customers'),
  }),
  build: ({ config }) => {
    const churnMonths = Math.max(1, Math.round(config.churn_inactivity_days / 30.44));
    const attrs = 'c.segment, c.region, c.gender';
    return `
    WITH months AS (SELECT DISTINCT month FROM marts.customer_months),
    cm AS (SELECT cm.*, ${attrs} FROM marts.customer_months cm JOIN staging.customers c USING (customer_id)),
    activity AS (
      SELECT month, active, 0 AS new_customers, completed_orders, revenue, buyers, interactions, engaged, 0 AS referrers, 0 AS referrals, 0 AS converted,
             0 AS repeat_base, 0 AS repeaters, 0 AS churn_base, 0 AS churned, 0 AS acquired_before, segment, region, gender
      FROM (SELECT month, 1 AS active, completed_orders, revenue, (completed_orders > 0)::INT AS buyers, interactions, (interactions > 0)::INT AS engaged, segment, region, gender FROM cm)
      UNION ALL   -- referrals made by customers active that month
      SELECT ${monthOf('r.referred_at')}, 0, 0, 0, 0, 0, 0, 0, 0, 1, r.converted::INT, 0, 0, 0, 0, 0, c.segment, c.region, c.gender
      FROM staging.referrals r JOIN staging.customers c ON c.customer_id = r.referrer_customer_id
      UNION ALL   -- a referrer counted once per month
      SELECT month, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, segment, region, gender FROM (
        SELECT DISTINCT ${monthOf('r.referred_at')} AS month, r.referrer_customer_id, c.segment, c.region, c.gender
        FROM staging.referrals r JOIN staging.customers c ON c.customer_id = r.referrer_customer_id)
      UNION ALL   -- new customers, and the base they grow
      SELECT m.month, 0, (${monthOf('c.created_at')} = m.month)::INT, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (c.created_at < m.month)::INT, ${attrs}
      FROM months m JOIN staging.customers c ON c.created_at < m.month + INTERVAL 1 MONTH
      UNION ALL   -- repeat purchase: the KPI's own observations (_kpis.ts), one per customer with an order in the trailing 12 months
      SELECT month, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, value::INT, 0, 0, 0, segment, region, gender
      FROM marts.kpi_observations WHERE kpi = 'repeat_purchase_rate'
      UNION ALL   -- churn: active in the year before the window, and whether active in the window
      SELECT month, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (NOT active_in_window)::INT, 0, segment, region, gender FROM (
        SELECT m.month, cm.customer_id, any_value(cm.segment) AS segment, any_value(cm.region) AS region, any_value(cm.gender) AS gender,
               bool_or(cm.month > m.month - INTERVAL ${churnMonths} MONTH) AS active_in_window,
               bool_or(cm.month <= m.month - INTERVAL ${churnMonths} MONTH) AS active_before
        FROM months m JOIN cm ON cm.month > m.month - INTERVAL ${churnMonths + 12} MONTH AND cm.month <= m.month
        GROUP BY m.month, cm.customer_id)
      WHERE active_before
    )
    SELECT month, cut, cut_value,
      sum(active)::BIGINT AS active_customers, sum(new_customers)::BIGINT AS new_customers,
      -- none before the first whole 12-month window: the KPI has no observations there
      sum(repeaters) / nullif(sum(repeat_base), 0) AS repeat_purchase_rate,
      sum(referrers) / nullif(sum(active), 0) AS referral_rate,
      sum(converted) / nullif(sum(referrals), 0) AS referral_conversion,
      CASE WHEN month >= (SELECT min(month) FROM months) + INTERVAL ${churnMonths + 11} MONTH THEN sum(churned) / nullif(sum(churn_base), 0) END AS churn_rate,
      sum(revenue) / nullif(sum(completed_orders), 0) AS aov,
      sum(completed_orders) / nullif(sum(buyers), 0) AS purchase_frequency,
      sum(new_customers) / nullif(sum(acquired_before), 0) AS customer_growth_rate,
      sum(interactions) / nullif(sum(active), 0) AS interactions_per_active_customer,
      sum(engaged) / nullif(sum(active), 0) AS engaged_rate
    FROM (${byCut('activity', '*', CUTS)})
    WHERE month IN (SELECT month FROM months)
    GROUP BY month, cut, cut_value`;
  },
});
