/**
 * `crm-eval run --example telco`: the IBM churn snapshot as customers and monthly bills. Every
 * figure below is computed again straight from the delivered CSV and must agree with the marts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DATASETS_DIR } from '../../../sources/examples/catalog.ts';
import { literal, type Warehouse } from '../../../warehouse/warehouse.ts';
import type { RunResult } from '../../../workflows/embedded/runner.ts';
import { runExample } from '../../fixtures/example.ts';

let warehouse: Warehouse;
let result: RunResult;
const csv = `read_csv(${literal(join(DATASETS_DIR, 'telco', 'WA_Fn-UseC_-Telco-Customer-Churn.csv'))}, header = true)`;
const one = async <T>(sql: string) => (await warehouse.all<Record<string, T>>(sql))[0]!;

beforeAll(async () => {
  ({ warehouse, result } = await runExample('telco'));
});

describe('the telco example', () => {
  it('loads all 7,043 customers (the 11 with a blank TotalCharges too) and one bill per month of tenure', async () => {
    expect(await one(`SELECT count(*)::INT AS n FROM staging.customers`)).toEqual({ n: 7043 });
    expect(await one(`SELECT count(*)::INT AS n FROM staging.orders`)).toEqual(await one(`SELECT sum(tenure)::INT AS n FROM ${csv}`));
    expect(await one(`SELECT count(*)::INT AS n FROM quarantine.crm_customers`)).toEqual({ n: 0 });
    const customers = result.outcomes.find((o) => o.step.id === 'extract:crm.customers')!.output as { rowsRead: number; rowsLoaded: number; rowsQuarantined: number; extraColumns: string[] };
    expect(customers).toMatchObject({ rowsRead: 7043, rowsLoaded: 7043, rowsQuarantined: 0 });
    // what the contract has no place for travels as delivered, e.g. the churn label
    expect(customers.extraColumns).toContain('churn');
  });

  it('keeps the contract type as the segment', async () => {
    const ours = await warehouse.all(`SELECT segment, count(*)::INT AS n FROM staging.customers GROUP BY ALL ORDER BY ALL`);
    expect(ours).toEqual([
      { segment: 'month_to_month', n: 3875 },
      { segment: 'one_year', n: 1473 },
      { segment: 'two_year', n: 1695 },
    ]);
  });

  it('churn in the snapshot month is the customers who left ÷ those billed the month before', async () => {
    const [ours] = await warehouse.all<{ active: number; churn_rate: number }>(
      `SELECT active_customers::INT AS active, churn_rate FROM marts.loyalty_monthly WHERE cut = 'all' AND month = DATE '2020-01-01'`,
    );
    const [data] = await warehouse.all<{ stayed: number; left: number; billed_before: number }>(`
      SELECT count(*) FILTER (WHERE Churn = 'No' AND tenure > 0)::INT AS stayed,
        count(*) FILTER (WHERE Churn = 'Yes')::INT AS left,
        count(*) FILTER (WHERE tenure > 0 AND NOT (Churn = 'No' AND tenure = 1))::INT AS billed_before
      FROM ${csv}`);
    expect(data).toEqual({ stayed: 5163, left: 1869, billed_before: 6799 });
    expect(ours!.active).toBe(data!.stayed);
    expect(ours!.churn_rate).toBeCloseTo(data!.left / data!.billed_before, 10);
  });

  it('month-to-month customers churn most, two-year contracts least', async () => {
    const rates = Object.fromEntries(
      (await warehouse.all<{ cut_value: string; churn_rate: number }>(
        `SELECT cut_value, churn_rate FROM marts.loyalty_monthly WHERE cut = 'segment' AND month = DATE '2020-01-01'`,
      )).map((r) => [r.cut_value, r.churn_rate]),
    );
    expect(rates.month_to_month!).toBeGreaterThan(rates.one_year!);
    expect(rates.one_year!).toBeGreaterThan(rates.two_year!);
  });

  it('invents no service data: tickets, surveys and costs stay empty', async () => {
    for (const mart of ['efficiency_monthly', 'feedback_themes', 'cost_monthly', 'people_monthly']) {
      expect(await one(`SELECT count(*)::INT AS n FROM marts.${mart}`), mart).toEqual({ n: 0 });
    }
  });
});
