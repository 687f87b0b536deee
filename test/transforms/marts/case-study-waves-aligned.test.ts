/**
 * The case study’s before/after under rollout waves, on a panel small enough to work out by
 * hand: each treated customer is split at its own wave’s go-live, not at crm_go_live, so a
 * customer of a later wave answering after crm_go_live but before its own go-live counts as
 * before. The never-treated are left out, and no difference-in-differences or time series row
 * is written: the comparison with the untreated is marts.case_study_waves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../config/load.ts';
import type { Config } from '../../../config/schema.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { model as caseStudy } from '../../../transforms/marts/case-study.ts';
import { model as robustness } from '../../../transforms/marts/case-study-robustness.ts';

// north goes live with crm_go_live, south six months later; west is never treated
const rollout = [
  { name: 'north', cut: 'region', values: ['north'], go_live: '2023-07-01' },
  { name: 'south', cut: 'region', values: ['south'], go_live: '2024-01-01' },
];
const configOf = (months: number): Config => parseConfig({ crm_go_live: '2023-07-01', ramp_up_months: 1, control_group: null, rollout, case_study: { pre_months: months, post_months: months } });

interface Row {
  kpi: string;
  cut: string;
  cut_value: string;
  method: string;
  before_mean: number;
  after_mean: number;
  rel_change: number;
  n_before: number;
  n_after: number;
  method_note: string;
}

let warehouse: Warehouse;

async function build(config: Config): Promise<{ caseStudy: Row[]; robustness: Array<Record<string, unknown>> }> {
  await caseStudy.build({ warehouse, config } as Parameters<typeof caseStudy.build>[0]);
  await robustness.build({ warehouse, config } as Parameters<typeof robustness.build>[0]);
  return {
    caseStudy: await warehouse.all<Row & Record<string, unknown>>(`SELECT * FROM marts.case_study ORDER BY kpi, cut, cut_value, method`),
    robustness: await warehouse.all(`SELECT check_name, method, strftime(go_live, '%Y-%m-%d') AS go_live, months_before::INT AS months_before, n_before::INT AS n_before, n_after::INT AS n_after, note
      FROM marts.case_study_robustness ORDER BY check_name, months_before, kpi`),
  };
}

beforeAll(async () => {
  warehouse = await Warehouse.open(':memory:');
  await warehouse.run(`CREATE SCHEMA IF NOT EXISTS marts`);
  // With 3 months a side and 1 month of ramp-up, north compares [2023-04, 2023-07) with
  // [2023-08, 2023-11), south [2023-10, 2024-01) with [2024-02, 2024-05).
  await warehouse.run(`CREATE TABLE marts.kpi_observations AS
    SELECT kpi, customer_id, month, value, region, segment,
           NULL::VARCHAR AS channel, NULL::VARCHAR AS priority, 'unknown' AS age_band, NULL::VARCHAR AS gender, 'none' AS purchase_frequency,
           region <> 'west' AS is_treated
    FROM (VALUES
      ('csat', 'n1', DATE '2023-05-01', 2.0, 'north', 'retail'),
      ('csat', 'n1', DATE '2023-09-01', 4.0, 'north', 'retail'),
      ('csat', 'n1', DATE '2024-02-01', 100.0, 'north', 'retail'),   -- after north’s after window
      ('csat', 'n2', DATE '2023-06-01', 4.0, 'north', 'retail'),
      ('csat', 'n2', DATE '2023-10-01', 6.0, 'north', 'retail'),
      ('csat', 's1', DATE '2023-08-01', 50.0, 'south', 'vip'),       -- before south’s before window
      ('csat', 's1', DATE '2023-11-01', 3.0, 'south', 'vip'),        -- after crm_go_live, before south’s go-live
      ('csat', 's1', DATE '2024-03-01', 5.0, 'south', 'vip'),
      ('csat', 's2', DATE '2023-12-01', 5.0, 'south', 'vip'),
      ('csat', 's2', DATE '2024-01-01', 99.0, 'south', 'vip'),       -- south’s ramp-up
      ('csat', 's2', DATE '2024-04-01', 9.0, 'south', 'vip'),
      ('csat', 'w1', DATE '2023-05-01', 7.0, 'west', 'retail'),      -- never treated
      ('csat', 'w1', DATE '2023-09-01', 1.0, 'west', 'retail'),
      -- outside both 3-month windows; the 12-month placebo windows below hold them
      ('csat', 'n1', DATE '2022-10-01', 1.0, 'north', 'retail'),
      ('csat', 's2', DATE '2023-03-01', 2.0, 'south', 'vip'),
      -- repeat purchase snapshots with 12 months a side: north 2023-06 and 2024-07, south 2023-12 and 2025-01
      ('repeat_purchase_rate', 'n1', DATE '2023-06-01', 0.0, 'north', 'retail'),
      ('repeat_purchase_rate', 'n1', DATE '2024-07-01', 1.0, 'north', 'retail'),
      ('repeat_purchase_rate', 's1', DATE '2023-12-01', 0.0, 'south', 'vip'),
      ('repeat_purchase_rate', 's1', DATE '2025-01-01', 1.0, 'south', 'vip'),
      ('repeat_purchase_rate', 's2', DATE '2023-06-01', 1.0, 'south', 'vip'),   -- north’s snapshot month, not south’s
      ('repeat_purchase_rate', 's2', DATE '2023-12-01', 1.0, 'south', 'vip'),
      ('repeat_purchase_rate', 's2', DATE '2025-01-01', 1.0, 'south', 'vip'),
      ('repeat_purchase_rate', 'w1', DATE '2023-06-01', 1.0, 'west', 'retail')
    ) v(kpi, customer_id, month, value, region, segment)`);
});

afterAll(() => warehouse.close());

describe('before/after aligned on each wave’s own go-live', () => {
  let rows: Row[];
  let checks: Array<Record<string, unknown>>;
  beforeAll(async () => {
    ({ caseStudy: rows, robustness: checks } = await build(configOf(3)));
  });

  it('counts a later wave’s customer before its own go-live, and leaves out ramp-up, the never-treated and months outside its windows', () => {
    const all = rows.find((r) => r.kpi === 'csat' && r.cut === 'all' && r.method === 'before_after')!;
    // before: n1 2, n2 4, s1 3, s2 5; after: n1 4, n2 6, s1 5, s2 9
    expect([all.n_before, all.n_after]).toEqual([4, 4]);
    expect(all.before_mean).toBeCloseTo(3.5, 12);
    expect(all.after_mean).toBeCloseTo(6, 12);
    expect(all.rel_change).toBeCloseTo(6 / 3.5 - 1, 12);
    expect(all.method_note).toMatch(/^cluster-robust \(CR1\) .*own wave’s go-live/);
  });

  it('does the same within a segment cut', () => {
    const vip = rows.find((r) => r.kpi === 'csat' && r.cut === 'segment' && r.cut_value === 'vip')!;
    expect([vip.n_before, vip.n_after, vip.before_mean, vip.after_mean]).toEqual([2, 2, 4, 7]);
    const retail = rows.find((r) => r.kpi === 'csat' && r.cut === 'segment' && r.cut_value === 'retail')!;
    expect([retail.n_before, retail.n_after, retail.before_mean, retail.after_mean]).toEqual([2, 2, 3, 5]);
  });

  it('writes no difference-in-differences or interrupted time series row', () => {
    expect([...new Set(rows.map((r) => r.method))]).toEqual(['before_after']);
  });

  it('robustness: before/after power only, no placebo in space or pre-trend (the 3-month pre-period holds no fake go-live)', () => {
    expect(checks.map((c) => `${c.check_name}|${c.method}`)).toEqual(['mde|before_after']);
    expect(checks[0]).toMatchObject({ go_live: '2023-07-01', n_before: 4, n_after: 4 });
  });
});

describe('with 12 months a side', () => {
  let rows: Row[];
  let checks: Array<Record<string, unknown>>;
  beforeAll(async () => {
    ({ caseStudy: rows, robustness: checks } = await build(configOf(12)));
  });

  it('a trailing-window KPI compares each wave’s own snapshot months', () => {
    const repeat = rows.find((r) => r.kpi === 'repeat_purchase_rate' && r.cut === 'all')!;
    // before: n1 0, s1 0, s2 1 (its 2023-06 is north’s month); after: n1, s1, s2 all 1
    expect([repeat.n_before, repeat.n_after]).toEqual([3, 3]);
    expect(repeat.before_mean).toBeCloseTo(1 / 3, 12);
    expect(repeat.after_mean).toBe(1);
  });

  it('the placebo in time splits each wave at a fake go-live before its own', () => {
    const six = checks.find((c) => c.check_name === 'placebo_time' && c.months_before === 6 && c.note !== null && String(c.note).startsWith('each wave'))!;
    // north [2022-07, 2023-01) vs [2023-01, 2023-07): n1 2022-10 | n1 2023-05, n2 2023-06;
    // south [2023-01, 2023-07) vs [2023-07, 2024-01): s2 2023-03 | s1 2023-08, s1 2023-11, s2 2023-12
    expect(six).toMatchObject({ method: 'before_after', go_live: '2023-01-01', n_before: 2, n_after: 5 });
    expect(six.note).toContain('north [2022-07-01, 2023-01-01) vs [2023-01-01, 2023-07-01), south [2023-01-01, 2023-07-01) vs [2023-07-01, 2024-01-01)');
    // 12 months before leaves the before side under 3 months: not run
    expect(checks.filter((c) => c.check_name === 'placebo_time').map((c) => c.months_before)).not.toContain(12);
    expect(checks.some((c) => c.check_name === 'placebo_space' || c.check_name === 'pre_trend' || c.method !== 'before_after')).toBe(false);
  });
});
