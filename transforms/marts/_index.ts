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
}

export const INDEX_KPIS: readonly IndexKpi[] = [
  { kpi: 'csat', pillar: 'satisfaction', source: 'satisfaction_monthly.csat', lowerIsBetter: false },
  { kpi: 'nps', pillar: 'satisfaction', source: 'satisfaction_monthly.nps', lowerIsBetter: false },
  { kpi: 'ces_avg', pillar: 'satisfaction', source: 'satisfaction_monthly.ces_avg', lowerIsBetter: true },
  { kpi: 'complaint_rate', pillar: 'satisfaction', source: 'satisfaction_monthly.complaint_rate', lowerIsBetter: true },
  { kpi: 'repeat_purchase_rate', pillar: 'loyalty', source: 'loyalty_monthly.repeat_purchase_rate', lowerIsBetter: false },
  { kpi: 'retention_rate', pillar: 'loyalty', source: 'satisfaction_monthly.retention_rate', lowerIsBetter: false },
  { kpi: 'churn_rate', pillar: 'loyalty', source: 'loyalty_monthly.churn_rate', lowerIsBetter: true },
  { kpi: 'first_response_hours', pillar: 'efficiency', source: 'efficiency_monthly.first_response_hours_mean', lowerIsBetter: true },
  { kpi: 'resolution_hours', pillar: 'efficiency', source: 'efficiency_monthly.resolution_hours_mean', lowerIsBetter: true },
  { kpi: 'fcr', pillar: 'efficiency', source: 'efficiency_monthly.fcr', lowerIsBetter: false },
  { kpi: 'sla_first_response', pillar: 'efficiency', source: 'efficiency_monthly.sla_first_response', lowerIsBetter: false },
  { kpi: 'cost_per_ticket', pillar: 'cost', source: 'cost_kpis_monthly.cost_per_ticket', lowerIsBetter: true },
  { kpi: 'cost_per_active_customer', pillar: 'cost', source: 'cost_kpis_monthly.cost_per_active_customer', lowerIsBetter: true },
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
