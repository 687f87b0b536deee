/**
 * `crm-eval run --example hr`: the IBM attrition snapshot as employees and one engagement survey
 * each. Headcount, attrition and satisfaction by department are recomputed from the CSV.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DATASETS_DIR } from '../../../sources/examples/catalog.ts';
import { literal, type Warehouse } from '../../../warehouse/warehouse.ts';
import { runExample } from '../../fixtures/example.ts';

let warehouse: Warehouse;
const csv = `read_csv(${literal(join(DATASETS_DIR, 'hr', 'WA_Fn-UseC_-HR-Employee-Attrition.csv'))}, header = true)`;

beforeAll(async () => {
  ({ warehouse } = await runExample('hr'));
});

describe('the hr example', () => {
  it('loads all 1,470 employees and their surveys', async () => {
    expect(await warehouse.all(`SELECT (SELECT count(*) FROM staging.employees)::INT AS employees, (SELECT count(*) FROM staging.engagement_surveys)::INT AS surveys`)).toEqual([
      { employees: 1470, surveys: 1470 },
    ]);
  });

  it('attrition, headcount and satisfaction by department agree with the data set', async () => {
    const ours = await warehouse.all(`
      SELECT team, agents::INT AS headcount, round(attrition_rate, 10) AS attrition, round(engagement_satisfaction, 10) AS satisfaction, enps
      FROM marts.people_monthly WHERE month = DATE '2020-01-01' ORDER BY team`);
    // leavers (the month of the snapshot) ÷ employees there at its start (not hired in it)
    const data = await warehouse.all(`
      SELECT team, count(*)::INT AS headcount,
        round(count(*) FILTER (WHERE Attrition = 'Yes') / count(*) FILTER (WHERE YearsAtCompany > 0), 10) AS attrition,
        round(avg(JobSatisfaction), 10) AS satisfaction, NULL AS enps
      FROM (SELECT *, Department AS team FROM ${csv} UNION ALL SELECT *, 'all' AS team FROM ${csv})
      GROUP BY team ORDER BY team`);
    expect(ours).toEqual(data);
    expect(ours.find((r) => r.team === 'all')).toMatchObject({ headcount: 1470 });
    expect(await warehouse.all(`SELECT count(*) FILTER (WHERE Attrition = 'Yes')::INT AS leavers FROM ${csv}`)).toEqual([{ leavers: 237 }]);
  });

  it('claims no eNPS the survey never asked and no training hours the data does not hold', async () => {
    expect(await warehouse.all(`SELECT count(enps)::INT AS enps, count(training_hours_per_agent)::INT AS training FROM marts.people_monthly`)).toEqual([
      { enps: 0, training: 0 },
    ]);
  });
});
