import { addMonths, formatISO } from 'date-fns';
import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';
import { dataAsOf } from './_as-of.ts';
import { defaultTarget, INDEX_KPIS, indexForMonth, PILLARS } from './_index.ts';

export const model = defineModel({
  name: 'marts.crm_index_monthly',
  description:
    'The composite CRM index (0-100) by month: each KPI scored against its pre-go-live baseline (50) and target (100), weighted by AHP within its pillar and the pillars by AHP; with each pillar’s score and contribution. Months where a KPI has no value are scored on the KPIs that have one, reweighted.',
  grain: 'one row per month',
  key: ['month'],
  dependsOn: [
    'marts.ahp_weights',
    'marts.satisfaction_monthly',
    'marts.loyalty_monthly',
    'marts.efficiency_monthly',
    'marts.cost_kpis_monthly',
    'staging.orders',
    'staging.tickets',
    'staging.surveys',
  ],
  contract: z.object({
    month: z.iso.date(),
    crm_index: z.number().min(0).max(100).nullable(),
    satisfaction_score: z.number().min(0).max(100).nullable(),
    loyalty_score: z.number().min(0).max(100).nullable(),
    efficiency_score: z.number().min(0).max(100).nullable(),
    cost_score: z.number().min(0).max(100).nullable(),
    satisfaction_contribution: z.number().nullable().describe('pillar weight × pillar score: the points it adds to the index'),
    loyalty_contribution: z.number().nullable(),
    efficiency_contribution: z.number().nullable(),
    cost_contribution: z.number().nullable(),
    is_partial: z.boolean().describe('the data ends before this month does: its KPIs cover part of it, so headline trends leave it out'),
  }),
  build: async ({ warehouse, config }) => {
    const weights = await warehouse.all<{ level: string; parent: string; criterion: string; weight: number }>(`SELECT level, parent, criterion, weight FROM marts.ahp_weights`);
    const weight = (level: string, parent: string, criterion: string) => weights.find((w) => w.level === level && w.parent === parent && w.criterion === criterion)?.weight ?? 0;
    const columns = INDEX_KPIS.map((k) => {
      const [table, column] = k.source.split('.') as [string, string];
      return `(SELECT ${column} FROM marts.${table} t WHERE t.month = m.month ${table === 'cost_kpis_monthly' ? '' : "AND t.cut = 'all'"}) AS ${k.kpi}`;
    });
    const series = await warehouse.all<Record<string, number | null> & { month: string }>(`
      SELECT strftime(m.month, '%Y-%m-%d') AS month, ${columns.join(', ')}
      FROM (SELECT DISTINCT month FROM marts.satisfaction_monthly) m ORDER BY m.month`);
    const goLive = config.crm_go_live;
    const preFrom = formatISO(addMonths(new Date(`${goLive}T00:00:00Z`), -config.case_study.pre_months), { representation: 'date' });
    const baselines = new Map(INDEX_KPIS.map((k) => {
      const configured = config.kpi_targets[k.kpi]?.baseline;
      const pre = series.filter((r) => r.month >= preFrom && r.month < goLive && r[k.kpi] !== null).map((r) => r[k.kpi]!);
      return [k.kpi, configured ?? (pre.length ? pre.reduce((s, x) => s + x, 0) / pre.length : null)];
    }));
    // A month the data ends in before its last day is partial (_as-of.ts).
    const as_of = await dataAsOf(warehouse);
    const lastDay = (month: string) => formatISO(addMonths(new Date(`${month}T00:00:00Z`), 1).getTime() - 86_400_000, { representation: 'date' });
    const rows = series.map((r) => {
      const month = indexForMonth(
        r,
        { kpi: (pillar, kpi) => weight('kpi', pillar, kpi), pillar: (pillar) => weight('criteria', 'index', pillar) },
        (kpi) => baselines.get(kpi),
        (k, baseline) => config.kpi_targets[k.kpi]?.target ?? defaultTarget(baseline, k.lowerIsBetter),
      );
      const out: Record<string, unknown> = { month: r.month, crm_index: month.crm_index, is_partial: as_of !== null && as_of < lastDay(r.month) };
      for (const pillar of PILLARS) {
        out[`${pillar}_score`] = month.scores[pillar];
        out[`${pillar}_contribution`] = month.contributions[pillar];
      }
      return out;
    });
    await writeTable(warehouse, 'marts.crm_index_monthly', [
      ['month', 'DATE'], ['crm_index', 'DOUBLE'], ['satisfaction_score', 'DOUBLE'], ['loyalty_score', 'DOUBLE'], ['efficiency_score', 'DOUBLE'], ['cost_score', 'DOUBLE'],
      ['satisfaction_contribution', 'DOUBLE'], ['loyalty_contribution', 'DOUBLE'], ['efficiency_contribution', 'DOUBLE'], ['cost_contribution', 'DOUBLE'],
      ['is_partial', 'BOOLEAN'],
    ], rows);
  },
});
