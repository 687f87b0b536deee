import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';
import { summarise, tCritical } from '../stats/welch.ts';

const WINDOW_DAYS = 60;
const KPIS = ['fcr', 'aht_minutes', 'csat'] as const;

/**
 * Training effect (METRICS.md §8): for each course and agent KPI, the agents' mean in the 60
 * days before vs after they completed it; the change is the mean of the agents' own changes
 * (a paired comparison, so a strong agent is compared with herself) with a t interval.
 */
export const model = defineModel({
  name: 'marts.training_effect',
  description: 'Agent KPIs (FCR, AHT, CSAT) in the 60 days before vs after completing each training course, paired by agent, with a 95% interval of the mean change.',
  grain: 'one row per course and KPI',
  key: ['course', 'kpi'],
  dependsOn: ['staging.training', 'staging.tickets', 'staging.surveys', 'marts.kpi_observations'],
  contract: z.object({
    course: z.string(),
    kpi: z.enum(KPIS),
    agents: z.int().min(0).describe('agents with observations both before and after'),
    before: z.number().nullable(),
    after: z.number().nullable(),
    change: z.number().nullable().describe('mean of after − before per agent'),
    ci_low: z.number().nullable(),
    ci_high: z.number().nullable(),
  }),
  build: async ({ warehouse }) => {
    const pairs = await warehouse.all<{ course: string; kpi: string; employee_id: string; before: number; after: number }>(`
      WITH obs AS (
        SELECT o.kpi, t.agent_id AS employee_id, o.observed_at, o.value
        FROM marts.kpi_observations o JOIN staging.tickets t ON t.ticket_id = o.unit_id
        WHERE o.kpi IN ('fcr', 'aht_minutes')
        UNION ALL
        SELECT 'csat', t.agent_id, o.observed_at, o.value
        FROM marts.kpi_observations o JOIN staging.surveys s ON s.response_id = o.unit_id JOIN staging.tickets t ON t.ticket_id = s.ticket_id
        WHERE o.kpi = 'csat')
      SELECT tr.course, obs.kpi, tr.employee_id,
        avg(obs.value) FILTER (WHERE obs.observed_at < tr.completed_at) AS before,
        avg(obs.value) FILTER (WHERE obs.observed_at >= tr.completed_at + INTERVAL 1 DAY) AS after
      FROM staging.training tr JOIN obs ON obs.employee_id = tr.employee_id
        AND obs.observed_at >= tr.completed_at - INTERVAL ${WINDOW_DAYS} DAY AND obs.observed_at < tr.completed_at + INTERVAL ${WINDOW_DAYS + 1} DAY
      GROUP BY tr.course, obs.kpi, tr.employee_id, tr.completed_at
      HAVING before IS NOT NULL AND after IS NOT NULL`);
    const groups = new Map<string, typeof pairs>();
    for (const p of pairs) groups.set(`${p.course}|${p.kpi}`, [...(groups.get(`${p.course}|${p.kpi}`) ?? []), p]);
    const rows = [...groups.entries()].map(([id, group]) => {
      const [course, kpi] = id.split('|') as [string, string];
      const diffs = summarise(group.map((p) => p.after - p.before));
      const half = diffs.n > 1 ? tCritical(diffs.n - 1) * Math.sqrt(diffs.variance / diffs.n) : NaN;
      return {
        course, kpi, agents: group.length,
        before: summarise(group.map((p) => p.before)).mean, after: summarise(group.map((p) => p.after)).mean,
        change: diffs.mean, ci_low: diffs.mean - half, ci_high: diffs.mean + half,
      };
    });
    await writeTable(warehouse, 'marts.training_effect', [
      ['course', 'VARCHAR'], ['kpi', 'VARCHAR'], ['agents', 'BIGINT'], ['before', 'DOUBLE'], ['after', 'DOUBLE'], ['change', 'DOUBLE'], ['ci_low', 'DOUBLE'], ['ci_high', 'DOUBLE'],
    ], rows);
  },
});
