import { z } from 'zod';
import { defineModel } from '../framework/model.ts';
import { monthOf } from './_cuts.ts';
import { literal } from '../../warehouse/warehouse.ts';

export const model = defineModel({
  name: 'marts.people_monthly',
  description:
    'The service team (员工) by month and team: the employees of the configured roles (people_roles, default the agents) on the payroll, attrition (leavers ÷ employed at the start), training hours per agent, engagement satisfaction (1-5) and eNPS (−100..100).',
  grain: 'one row per month and team',
  key: ['month', 'team'],
  dependsOn: ['staging.employees', 'staging.training', 'staging.engagement_surveys', 'staging.timesheets'],
  contract: z.object({
    month: z.iso.date(),
    team: z.string().describe("a team, or 'all'"),
    agents: z.int().min(0).describe('employees of the configured roles (default agents) employed at some point in the month'),
    attrition_rate: z.number().min(0).max(1).nullable(),
    avg_tenure_months: z.number().min(0).nullable(),
    training_hours_per_agent: z.number().min(0).nullable(),
    engagement_satisfaction: z.number().min(1).max(5).nullable(),
    enps: z.number().min(-100).max(100).nullable().describe('% promoters (9-10) − % detractors (0-6), in points'),
  }),
  // The months: those with timesheets, and those with an engagement survey (an HR snapshot
  // without timesheets still has its survey month).
  build: ({ config }) => `
    WITH months AS (
      SELECT DISTINCT ${monthOf('work_date')} AS month FROM staging.timesheets
      UNION SELECT DISTINCT ${monthOf('surveyed_at')} FROM staging.engagement_surveys),
    agents AS (SELECT employee_id, team, hired_at, terminated_at FROM staging.employees WHERE role IN (${config.people_roles.map(literal).join(', ')})),
    rows AS (
      SELECT m.month, t.team, a.employee_id, a.hired_at, a.terminated_at
      FROM months m JOIN agents a ON a.hired_at < m.month + INTERVAL 1 MONTH AND (a.terminated_at IS NULL OR a.terminated_at >= m.month)
      CROSS JOIN LATERAL (SELECT a.team AS team UNION ALL SELECT 'all') t),
    staff AS (
      SELECT month, team, count(*) AS agents,
        count(*) FILTER (WHERE terminated_at < month + INTERVAL 1 MONTH) AS leavers,
        count(*) FILTER (WHERE hired_at < month) AS at_start,
        avg(date_diff('day', hired_at, month + INTERVAL 1 MONTH) / 30.44) AS avg_tenure_months
      FROM rows GROUP BY ALL),
    trained AS (
      SELECT ${monthOf('tr.completed_at')} AS month, t.team, sum(tr.hours) AS hours
      FROM staging.training tr JOIN agents a USING (employee_id) CROSS JOIN LATERAL (SELECT a.team AS team UNION ALL SELECT 'all') t GROUP BY ALL),
    engaged AS (
      SELECT ${monthOf('s.surveyed_at')} AS month, t.team, avg(s.satisfaction) AS satisfaction,
        100.0 * (count(*) FILTER (WHERE s.enps >= 9) - count(*) FILTER (WHERE s.enps <= 6)) / nullif(count(s.enps), 0) AS enps
      FROM staging.engagement_surveys s JOIN staging.employees e USING (employee_id) CROSS JOIN LATERAL (SELECT e.team AS team UNION ALL SELECT 'all') t
      GROUP BY ALL)
    SELECT s.month, s.team, s.agents::BIGINT AS agents, s.leavers / nullif(s.at_start, 0) AS attrition_rate, s.avg_tenure_months,
      -- no training delivered at all means training is not recorded, not that nobody trained
      CASE WHEN EXISTS (SELECT 1 FROM staging.training) THEN coalesce(tr.hours, 0) / nullif(s.agents, 0) END AS training_hours_per_agent, e.satisfaction AS engagement_satisfaction, e.enps
    FROM staff s LEFT JOIN trained tr USING (month, team) LEFT JOIN engaged e USING (month, team)`,
});
