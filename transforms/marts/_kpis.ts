/**
 * The KPIs observed one unit at a time (a survey answer, a ticket, a customer's trailing
 * 12 months), defined once here (METRICS.md §2, §3, §4). Each has a SQL that yields one row per
 * observation with its value; the monthly marts average them and the case study compares them,
 * so a KPI cannot mean two different things in two places. A rate is the mean of 0/1 values;
 * NPS is the mean of +100 (promoter), 0 (passive) and −100 (detractor).
 */

export const KPI_VALUE_UNITS = ['share', 'points', 'score', 'hours', 'minutes', 'per_1000'] as const;
export type KpiValueUnit = (typeof KPI_VALUE_UNITS)[number];

export interface KpiDefinition {
  kpi: string;
  label: string;
  /** how its change is read: relative (%) or in points (NPS) */
  unit: 'relative' | 'points';
  /**
   * what one value is, so a report can format it: share (a fraction 0..1, shown as %), points
   * (NPS, −100..100), score (a mean on the survey scale), hours, minutes, per_1000 (per 1,000
   * active customers)
   */
  value_unit: KpiValueUnit;
  direction: 'higher_is_better' | 'lower_is_better';
  definition: string;
  /** one row per observation: unit_id, customer_id, observed_at, channel, priority, value */
  observations: string;
  /**
   * For a KPI observed over a trailing window of this many months ending in the observation's
   * month: consecutive months' observations of a customer share most of their window, so the
   * case study compares one snapshot a period, never the months pooled (see _case-study.ts).
   */
  windowMonths?: number;
}

const hours = (from: string, to: string) => `date_diff('second', ${from}, ${to}) / 3600.0`;

const csat = `FROM staging.surveys WHERE survey_type = 'csat'`;
const tickets = (where: string) =>
  `SELECT ticket_id AS unit_id, customer_id, created_at AS observed_at, channel, priority, %VALUE% AS value FROM staging.tickets WHERE ${where}`;

/**
 * The repeat purchase rate per customer and month (METRICS.md §3): each customer with ≥ 1
 * completed order in the 12 months ending with that month is one observation, 1 if it had ≥ 2.
 * The mean over customers is the rate, customers with ≥ 2 ÷ customers with ≥ 1. Only months
 * whose whole window lies inside the data: a window that reaches back before the first month
 * would understate the rate.
 */
const REPEAT_WINDOW = 12;
const repeatPurchases = `WITH months AS (SELECT DISTINCT month FROM marts.customer_months),
    bought AS (SELECT customer_id, month, completed_orders FROM marts.customer_months WHERE completed_orders > 0)
  SELECT b.customer_id || '@' || strftime(m.month, '%Y-%m') AS unit_id, b.customer_id, CAST(m.month AS TIMESTAMP) AS observed_at, NULL AS channel, NULL AS priority,
    CASE WHEN sum(b.completed_orders) >= 2 THEN 1.0 ELSE 0.0 END AS value
  FROM months m JOIN bought b ON b.month > m.month - INTERVAL ${REPEAT_WINDOW} MONTH AND b.month <= m.month
  WHERE m.month >= (SELECT min(month) FROM months) + INTERVAL ${REPEAT_WINDOW - 1} MONTH
  GROUP BY m.month, b.customer_id`;

export const KPIS: readonly KpiDefinition[] = [
  {
    kpi: 'csat',
    label: 'CSAT (top-2-box)',
    unit: 'relative',
    value_unit: 'share',
    direction: 'higher_is_better',
    definition: 'share of CSAT answers (1-5) that are 4 or 5',
    observations: `SELECT s.response_id AS unit_id, s.customer_id, s.responded_at AS observed_at, t.channel, t.priority, CASE WHEN s.score >= 4 THEN 1.0 ELSE 0.0 END AS value
      FROM staging.surveys s LEFT JOIN staging.tickets t USING (ticket_id) WHERE s.survey_type = 'csat'`,
  },
  {
    kpi: 'csat_avg',
    label: 'CSAT average',
    unit: 'relative',
    value_unit: 'score',
    direction: 'higher_is_better',
    definition: 'mean CSAT answer on the 1-5 scale',
    observations: `SELECT response_id AS unit_id, customer_id, responded_at AS observed_at, NULL AS channel, NULL AS priority, CAST(score AS DOUBLE) AS value ${csat}`,
  },
  {
    kpi: 'nps',
    label: 'NPS',
    unit: 'points',
    value_unit: 'points',
    direction: 'higher_is_better',
    definition: '% promoters (9-10) − % detractors (0-6) among NPS answers (0-10), in points',
    observations: `SELECT response_id AS unit_id, customer_id, responded_at AS observed_at, NULL AS channel, NULL AS priority,
      CASE WHEN score >= 9 THEN 100.0 WHEN score <= 6 THEN -100.0 ELSE 0.0 END AS value FROM staging.surveys WHERE survey_type = 'nps'`,
  },
  {
    kpi: 'ces_avg',
    label: 'Customer effort (CES)',
    unit: 'relative',
    value_unit: 'score',
    direction: 'lower_is_better',
    definition: 'mean Customer Effort Score (1-7, lower is less effort)',
    observations: `SELECT response_id AS unit_id, customer_id, responded_at AS observed_at, NULL AS channel, NULL AS priority, CAST(score AS DOUBLE) AS value FROM staging.surveys WHERE survey_type = 'ces'`,
  },
  {
    kpi: 'first_response_hours',
    label: 'First response time (hours)',
    unit: 'relative',
    value_unit: 'hours',
    direction: 'lower_is_better',
    definition: 'first_response_at − created_at in calendar hours, tickets with a response',
    observations: tickets('first_response_at IS NOT NULL').replace('%VALUE%', hours('created_at', 'first_response_at')),
  },
  {
    kpi: 'complaint_first_response_hours',
    label: 'Complaint response time (hours)',
    unit: 'relative',
    value_unit: 'hours',
    direction: 'lower_is_better',
    definition: 'first response time of complaint tickets (is_complaint) in calendar hours',
    observations: tickets('first_response_at IS NOT NULL AND is_complaint').replace('%VALUE%', hours('created_at', 'first_response_at')),
  },
  {
    kpi: 'resolution_hours',
    label: 'Resolution time (hours)',
    unit: 'relative',
    value_unit: 'hours',
    direction: 'lower_is_better',
    definition: 'resolved_at − created_at in calendar hours, resolved tickets',
    observations: tickets('resolved_at IS NOT NULL').replace('%VALUE%', hours('created_at', 'resolved_at')),
  },
  {
    kpi: 'fcr',
    label: 'First-contact resolution',
    unit: 'relative',
    value_unit: 'share',
    direction: 'higher_is_better',
    definition: 'resolved tickets with contacts = 1 and reopened = 0 ÷ resolved tickets (those whose contacts and reopens are known)',
    observations: tickets('resolved_at IS NOT NULL AND contacts IS NOT NULL AND reopened IS NOT NULL').replace('%VALUE%', 'CASE WHEN contacts = 1 AND reopened = 0 THEN 1.0 ELSE 0.0 END'),
  },
  {
    kpi: 'aht_minutes',
    label: 'Average handle time (minutes)',
    unit: 'relative',
    value_unit: 'minutes',
    direction: 'lower_is_better',
    definition: 'handle_seconds / 60 over resolved tickets (with a known handle time)',
    observations: tickets('resolved_at IS NOT NULL AND handle_seconds IS NOT NULL').replace('%VALUE%', 'handle_seconds / 60.0'),
  },
  {
    kpi: 'complaint_rate',
    label: 'Complaints per 1,000 active customers',
    unit: 'relative',
    value_unit: 'per_1000',
    direction: 'lower_is_better',
    definition: 'complaint tickets per 1,000 active customers; one observation per active customer-month (its complaints × 1,000)',
    observations: `SELECT customer_id || '@' || strftime(month, '%Y-%m') AS unit_id, customer_id, CAST(month AS TIMESTAMP) AS observed_at, NULL AS channel, NULL AS priority,
      complaints * 1000.0 AS value FROM marts.customer_months
      WHERE EXISTS (SELECT 1 FROM staging.tickets) /* no tickets delivered: unknown, not zero */`,
  },
  {
    kpi: 'reopen_rate',
    label: 'Reopen rate',
    unit: 'relative',
    value_unit: 'share',
    direction: 'lower_is_better',
    definition: 'resolved tickets reopened at least once ÷ resolved tickets (with a known reopen count)',
    observations: tickets('resolved_at IS NOT NULL AND reopened IS NOT NULL').replace('%VALUE%', 'CASE WHEN reopened > 0 THEN 1.0 ELSE 0.0 END'),
  },
  {
    kpi: 'repeat_purchase_rate',
    label: 'Repeat purchase rate',
    unit: 'relative',
    value_unit: 'share',
    direction: 'higher_is_better',
    definition: 'customers with ≥ 2 completed orders in the trailing 12 months ÷ customers with ≥ 1; one observation per customer with ≥ 1 and month (1 if ≥ 2)',
    observations: repeatPurchases,
    windowMonths: REPEAT_WINDOW,
  },
];

export function findKpi(kpi: string): KpiDefinition {
  const found = KPIS.find((k) => k.kpi === kpi);
  if (!found) throw new Error(`unknown KPI ${kpi}`);
  return found;
}
