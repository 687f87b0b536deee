/**
 * IBM HR analytics employee attrition (IBM sample data): one row per employee at a snapshot,
 * with department, job role, monthly income, satisfaction scores, years at the company and
 * whether the employee left. It feeds hr.employees and hr.engagement_surveys, so the people mart
 * (headcount, attrition and satisfaction by department); it has no tickets, so nothing links
 * people to service KPIs.
 *
 * Mapping (the data set carries no dates, so everything hangs on one documented anchor):
 * - SNAPSHOT is the first day of the month the snapshot was taken (IBM publishes none; with your
 *   own export, put its date here). hired_at = SNAPSHOT − YearsAtCompany years.
 * - Attrition = Yes: the data says only that the employee left; the adapter takes it as leaving
 *   in the snapshot month (terminated_at = its last day), so the snapshot month's attrition is
 *   leavers ÷ employees who were there at its start.
 * - team and department = Department; role: Manager and the Directors → manager, everyone else
 *   → other (there are no service agents here), and the example counts every role as the team
 *   (people_roles); monthly_salary = MonthlyIncome; fte = 1.
 * - One engagement survey per employee in the snapshot month: satisfaction = JobSatisfaction,
 *   which is on a 1-4 scale here (compare it within this data set only); the survey asked no
 *   eNPS question, so enps is empty and the people mart reports none. The other columns travel
 *   to raw.hr_employees.extra_columns as delivered.
 */
import { join } from 'node:path';
import { literal } from '../../warehouse/warehouse.ts';
import { copyEntity, type Example } from './example.ts';
import { literalFilePattern } from '../load/files.ts';

export const SNAPSHOT = '2020-01-01';

export const hr: Example = {
  name: 'hr',
  description: 'IBM HR attrition: 1,470 employees at a snapshot (employees + engagement → attrition and satisfaction by department)',
  dataset: 'hr',
  config: {
    crm_go_live: '2019-07-01',
    ramp_up_months: 0,
    control_group: null,
    case_study: { pre_months: 6, post_months: 6 },
    people_roles: ['agent', 'supervisor', 'manager', 'other'],
  },
  async map(warehouse, datasetDir, out) {
    await warehouse.run(`CREATE OR REPLACE TEMP TABLE hr AS SELECT * FROM read_csv(${literal(literalFilePattern(join(datasetDir, 'WA_Fn-UseC_-HR-Employee-Attrition.csv')))}, header = true)`);
    return [
      await copyEntity(warehouse, out, 'hr.employees', `
        SELECT 'E' || EmployeeNumber AS employee_id, Department AS department,
          CASE WHEN JobRole = 'Manager' OR JobRole LIKE '%Director' THEN 'manager' ELSE 'other' END AS role,
          Department AS team, strftime(DATE ${literal(SNAPSHOT)} - to_years(CAST(YearsAtCompany AS INT)), '%Y-%m-%d') AS hired_at,
          CASE WHEN Attrition = 'Yes' THEN strftime(last_day(DATE ${literal(SNAPSHOT)}), '%Y-%m-%d') END AS terminated_at,
          MonthlyIncome AS monthly_salary, 1 AS fte,
          JobRole AS job_role, Age AS age, Gender AS gender, OverTime AS over_time, JobLevel AS job_level,
          EnvironmentSatisfaction AS environment_satisfaction, WorkLifeBalance AS work_life_balance,
          TrainingTimesLastYear AS training_times_last_year, Attrition AS attrition
        FROM hr ORDER BY EmployeeNumber`),
      await copyEntity(warehouse, out, 'hr.engagement_surveys', `
        SELECT 'E' || EmployeeNumber AS employee_id, ${literal(SNAPSHOT)} AS surveyed_at, JobSatisfaction AS satisfaction, NULL AS enps
        FROM hr ORDER BY EmployeeNumber`),
    ];
  },
};
