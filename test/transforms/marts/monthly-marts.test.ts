/**
 * The monthly marts on a delivery small enough to compute by hand: every number here can be
 * checked with pencil and paper against METRICS.md.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../../fixtures/company.ts';
import { tempDir } from '../../fixtures/csv.ts';
import { validRows } from '../../fixtures/valid-rows.ts';

const survey = validRows['crm.surveys']!;
const ticket = validRows['crm.tickets']!;
let warehouse: Warehouse;

beforeAll(async () => {
  // February 2022: three CSAT answers (5, 4, 2), four NPS answers (10, 9, 7, 3), two tickets
  // (one answered in 1 hour, one in 3 hours; the second a complaint reopened once).
  const dataDir = writeTinyCompany({
    'crm.surveys': [
      { ...survey, response_id: 'R2', score: '4' },
      { ...survey, response_id: 'R3', score: '2' },
      ...['10', '9', '7', '3'].map((score, i) => ({ ...survey, response_id: `N${i}`, ticket_id: '', survey_type: 'nps', score })),
    ],
    // a later order, so the CLV calibration (up to the last order) includes February's tickets
    'crm.orders': [{ ...validRows['crm.orders']!, order_id: 'O2', ordered_at: '2022-03-01T10:00:00Z', gross_margin: '0.00' }],
    'crm.tickets': [
      { ...ticket, ticket_id: 'T2', first_response_at: '2022-02-02T12:00:00Z', is_complaint: 'true', contacts: '2', reopened: '1', handle_seconds: '1200' },
    ],
  });
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  const result = await runPipeline({ dataDir, warehousePath, config: tinyCompanyConfig(), runId: 'tiny' });
  expect(result.error).toBeUndefined();
  warehouse = await Warehouse.open(warehousePath, { readOnly: true });
});

const all = `cut = 'all' AND month = DATE '2022-02-01'`;

describe('satisfaction_monthly', () => {
  it('CSAT is the top-2-box share with its Wilson interval, NPS promoters minus detractors; small samples flagged', async () => {
    const [row] = await warehouse.all(`SELECT csat, csat_n, csat_avg, csat_ci_low, csat_ci_high, nps, nps_n, small_sample FROM marts.satisfaction_monthly WHERE ${all}`);
    expect(row).toMatchObject({ csat: expect.closeTo(2 / 3, 12), csat_n: 3, csat_avg: expect.closeTo(11 / 3, 12), nps: 25, nps_n: 4, small_sample: true });
    expect(row!['csat_ci_low']).toBeCloseTo(0.2077, 4); // Wilson 2/3
    expect(row!['csat_ci_high']).toBeCloseTo(0.9385, 4);
  });

  it('complaint rate is complaints per 1,000 active customers', async () => {
    const [row] = await warehouse.all(`SELECT active_customers, complaints, complaint_rate FROM marts.satisfaction_monthly WHERE ${all}`);
    expect(row).toEqual({ active_customers: 1, complaints: 1, complaint_rate: 1000 });
  });
});

describe('efficiency_monthly', () => {
  it('times, FCR, AHT and SLA follow their definitions', async () => {
    const [row] = await warehouse.all(`SELECT tickets, first_response_hours_median, first_response_hours_mean, fcr, aht_minutes, reopen_rate, sla_first_response
      FROM marts.efficiency_monthly WHERE ${all}`);
    // T1 answered after 1 h, T2 after 3 h; normal priority target 8 h; T1 first-contact resolved, T2 not
    expect(row).toEqual({ tickets: 2, first_response_hours_median: 2, first_response_hours_mean: 2, fcr: 0.5, aht_minutes: 15, reopen_rate: 0.5, sla_first_response: 1 });
  });
});

describe('complaints_monthly and cost_monthly', () => {
  it('count complaints by category and channel, and sum the ledger by cost composition', async () => {
    expect(await warehouse.all(`SELECT category, channel, complaints, share FROM marts.complaints_monthly`)).toEqual([
      { category: 'billing', channel: 'email', complaints: 1, share: 1 },
    ]);
    expect(await warehouse.all(`SELECT cost_center, cost_nature, cost_behavior, amount, crm_amount FROM marts.cost_monthly`)).toEqual([
      { cost_center: 'customer_service', cost_nature: 'direct', cost_behavior: 'fixed', amount: 10000, crm_amount: 10000 },
    ]);
  });
});

describe('customer_value', () => {
  it('shares the whole service cost out by handle time, and profit contribution is margin minus it', async () => {
    // one customer: all 10,000 of service cost; its margin is the one order's 40.10
    expect(await warehouse.all(`SELECT customer_id, cost_to_serve, round(profit_contribution, 2) AS profit_contribution FROM marts.customer_value`)).toEqual([
      { customer_id: 'C1', cost_to_serve: 10000, profit_contribution: -9959.9 },
    ]);
  });
});
