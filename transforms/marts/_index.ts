/**
 * What the composite CRM index (METRICS.md §6) is made of: the monthly KPIs of each pillar,
 * where each lives, which way is better, and the default AHP judgements (Saaty 1-9) used when
 * the configuration gives none.
 */
import type { Config } from '../../config/schema.ts';

export type Pillar = 'satisfaction' | 'loyalty' | 'efficiency' | 'cost';

export interface IndexKpi {
  kpi: string;
  pillar: Pillar;
  /** `mart.column` at cut 'all' */
  source: string;
  lowerIsBetter: boolean;
  /** what a value is (as kpi_definitions.value_unit, plus money in the configured currency) */
  unit: 'share' | 'points' | 'score' | 'hours' | 'per_1000' | 'money';
}

export const INDEX_KPIS: readonly IndexKpi[] = [
  { kpi: 'csat', pillar: 'satisfaction', source: 'satisfaction_monthly.csat', lowerIsBetter: false, unit: 'share' },
  { kpi: 'nps', pillar: 'satisfaction', source: 'satisfaction_monthly.nps', lowerIsBetter: false, unit: 'points' },
  { kpi: 'ces_avg', pillar: 'satisfaction', source: 'satisfaction_monthly.ces_avg', lowerIsBetter: true, unit: 'score' },
  { kpi: 'complaint_rate', pillar: 'satisfaction', source: 'satisfaction_monthly.complaint_rate', lowerIsBetter: true, unit: 'per_1000' },
  { kpi: 'repeat_purchase_rate', pillar: 'loyalty', source: 'loyalty_monthly.repeat_purchase_rate', lowerIsBetter: false, unit: 'share' },
  { kpi: 'retention_rate', pillar: 'loyalty', source: 'satisfaction_monthly.retention_rate', lowerIsBetter: false, unit: 'share' },
  { kpi: 'churn_rate', pillar: 'loyalty', source: 'loyalty_monthly.churn_rate', lowerIsBetter: true, unit: 'share' },
  { kpi: 'first_response_hours', pillar: 'efficiency', source: 'efficiency_monthly.first_response_hours_mean', lowerIsBetter: true, unit: 'hours' },
  { kpi: 'resolution_hours', pillar: 'efficiency', source: 'efficiency_monthly.resolution_hours_mean', lowerIsBetter: true, unit: 'hours' },
  { kpi: 'fcr', pillar: 'efficiency', source: 'efficiency_monthly.fcr', lowerIsBetter: false, unit: 'share' },
  { kpi: 'sla_first_response', pillar: 'efficiency', source: 'efficiency_monthly.sla_first_response', lowerIsBetter: false, unit: 'share' },
  { kpi: 'cost_per_ticket', pillar: 'cost', source: 'cost_kpis_monthly.cost_per_ticket', lowerIsBetter: true, unit: 'money' },
  { kpi: 'cost_per_active_customer', pillar: 'cost', source: 'cost_kpis_monthly.cost_per_active_customer', lowerIsBetter: true, unit: 'money' },
];

export const PILLARS: readonly Pillar[] = ['satisfaction', 'loyalty', 'efficiency', 'cost'];

/** Default judgements: satisfaction and loyalty weigh most, then efficiency, then cost. */
export const DEFAULT_AHP: NonNullable<Config['ahp']> = {
  criteria: {
    items: ['satisfaction', 'loyalty', 'efficiency', 'cost'],
    matrix: [
      [1, 1, 2, 3],
      [1, 1, 2, 3],
      [1 / 2, 1 / 2, 1, 2],
      [1 / 3, 1 / 3, 1 / 2, 1],
    ],
  },
  kpis: {
    satisfaction: { items: ['csat', 'nps', 'ces_avg', 'complaint_rate'], matrix: [[1, 1, 2, 2], [1, 1, 2, 2], [1 / 2, 1 / 2, 1, 1], [1 / 2, 1 / 2, 1, 1]] },
    loyalty: { items: ['repeat_purchase_rate', 'retention_rate', 'churn_rate'], matrix: [[1, 1, 2], [1, 1, 2], [1 / 2, 1 / 2, 1]] },
    efficiency: { items: ['first_response_hours', 'resolution_hours', 'fcr', 'sla_first_response'], matrix: [[1, 1, 1 / 2, 1], [1, 1, 1 / 2, 1], [2, 2, 1, 2], [1, 1, 1 / 2, 1]] },
    cost: { items: ['cost_per_ticket', 'cost_per_active_customer'], matrix: [[1, 1], [1, 1]] },
  },
};

/**
 * A KPI's score 0-100: 50 at its baseline (the pre-go-live mean unless configured), 100 at its
 * target, 0 as far on the wrong side; direction-aware through the sign of target − baseline.
 * Without a configured target the target is the baseline improved by 20%.
 */
export function score(value: number, baseline: number, target: number): number {
  if (target === baseline) return 50;
  return Math.max(0, Math.min(100, 50 + (50 * (value - baseline)) / (target - baseline)));
}

export function defaultTarget(baseline: number, lowerIsBetter: boolean): number {
  return baseline * (lowerIsBetter ? 0.8 : 1.2) + (baseline === 0 ? (lowerIsBetter ? -1 : 1) : 0);
}

export interface IndexMonth {
  crm_index: number | null;
  scores: Record<Pillar, number | null>;
  contributions: Record<Pillar, number | null>;
}

/**
 * One month of the index: each pillar the weighted mean of its KPIs' scores (over the KPIs
 * with a value that month, reweighted), the index the weighted mean of the pillars. A weighted
 * mean of scores in 0-100 lies in 0-100, but its floating-point value can overshoot by an
 * ulp (Σ w·100 / Σ w = 100.00000000000001 for some AHP weights), so it is clamped there.
 */
export function indexForMonth(
  values: Readonly<Record<string, number | null | undefined>>,
  weights: { kpi(pillar: Pillar, kpi: string): number; pillar(pillar: Pillar): number },
  baselineOf: (kpi: string) => number | null | undefined,
  targetOf: (kpi: IndexKpi, baseline: number) => number,
): IndexMonth {
  const scores = {} as Record<Pillar, number | null>;
  const contributions = {} as Record<Pillar, number | null>;
  let index = 0;
  let indexWeight = 0;
  for (const pillar of PILLARS) {
    let sum = 0;
    let total = 0;
    for (const k of INDEX_KPIS.filter((x) => x.pillar === pillar)) {
      const value = values[k.kpi];
      const baseline = baselineOf(k.kpi);
      const w = weights.kpi(pillar, k.kpi);
      if (value === null || value === undefined || baseline === null || baseline === undefined || w === 0) continue;
      sum += w * score(value, baseline, targetOf(k, baseline));
      total += w;
    }
    const pillarScore = total > 0 ? clampScore(sum / total) : null;
    const pw = weights.pillar(pillar);
    scores[pillar] = pillarScore;
    contributions[pillar] = pillarScore === null ? null : pw * pillarScore;
    if (pillarScore !== null) {
      index += pw * pillarScore;
      indexWeight += pw;
    }
  }
  return { crm_index: indexWeight > 0 ? clampScore(index / indexWeight) : null, scores, contributions };
}

function clampScore(x: number): number {
  return Math.max(0, Math.min(100, x));
}
