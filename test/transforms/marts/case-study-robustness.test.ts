/**
 * The robustness checks on the reference company (METRICS.md §9), whose planted effects all
 * start at go-live, are not seasonal and have no trend: a placebo must find nothing, the control
 * region nothing, the pre-trends nothing. Chance still calls about 5% of honest tests
 * significant on their own; the flags use Holm-adjusted p-values. Checked on seed 42 (the
 * company `npm start` generates), with the cluster-robust tests: 3 of the 54 placebo-in-time
 * comparisons of the planted KPIs have p < 0.05 alone (all three in the difference-in-differences
 * with the 6-month before window), none after Holm. Over 20 seeds: npm run validate:case-study.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConfig } from '../../../config/load.ts';
import { generateCompany, type Manifest } from '../../../sources/reference-company/generate.ts';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { tempDir } from '../../fixtures/csv.ts';

interface RobustnessRow {
  kpi: string;
  check_name: string;
  method: string;
  go_live: string;
  months_before: number;
  estimate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  p_value: number | null;
  observed: number | null;
  flagged: boolean | null;
  note: string;
}

let manifest: Manifest;
let rows: RobustnessRow[];

beforeAll(async () => {
  const dataDir = tempDir();
  manifest = await generateCompany({ outDir: dataDir, customers: 5000, seed: 42 });
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  const result = await runPipeline({ dataDir, warehousePath, config: parseConfig({}), runId: 'robustness' });
  expect(result.error).toBeUndefined();
  const warehouse = await Warehouse.open(warehousePath, { readOnly: true });
  rows = await warehouse.all<RobustnessRow & Record<string, unknown>>(`SELECT * EXCLUDE (go_live), strftime(go_live, '%Y-%m-%d') AS go_live FROM marts.case_study_robustness`);
  warehouse.close();
});

const planted = () => new Set(manifest.effects.map((e) => e.kpi));
const of = (check: string) => rows.filter((r) => r.check_name === check);

describe('placebo in time: a fake go-live inside the pre-period', () => {
  it('splits the 18-month pre-period at 6, 9 and 12 months before the real go-live (2023-07-01)', () => {
    const dates = [...new Set(of('placebo_time').map((r) => `${r.months_before}:${r.go_live}`))].sort();
    expect(dates).toEqual(['12:2022-07-01', '6:2023-01-01', '9:2022-10-01']);
  });

  it('finds no effect for the KPIs whose planted effect starts at go-live: none flagged, and about the 5% chance allows unadjusted', () => {
    const tested = of('placebo_time').filter((r) => planted().has(r.kpi) && r.p_value !== null);
    expect(tested.length).toBeGreaterThanOrEqual(50);
    expect(tested.filter((r) => r.flagged)).toEqual([]);
    expect(tested.filter((r) => r.p_value! < 0.05).length / tested.length).toBeLessThanOrEqual(0.1);
  });

  it('leaves the repeat purchase rate untested: its 12-month window does not fit twice in the pre-period', () => {
    const repeat = of('placebo_time').filter((r) => r.kpi === 'repeat_purchase_rate');
    expect(repeat.length).toBe(6);
    for (const r of repeat) {
      expect(r.estimate).toBeNull();
      expect(r.flagged).toBeNull();
      expect(r.note).toMatch(/not tested/);
    }
  });
});

describe('placebo in space: the control region, which has no CRM, at the real go-live', () => {
  it('shows no effect for any KPI (every interval holds zero at this seed)', () => {
    const space = of('placebo_space');
    expect(space.length).toBe(12);
    for (const r of space) {
      expect(r.flagged, r.kpi).toBe(false);
      expect(r.ci_low!, r.kpi).toBeLessThanOrEqual(0);
      expect(r.ci_high!, r.kpi).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('parallel pre-trends for the difference-in-differences', () => {
  it('finds the treated − control slope over the pre-period compatible with zero for every KPI', () => {
    const trends = of('pre_trend');
    expect(trends.length).toBe(12);
    for (const r of trends) {
      expect(r.flagged, r.kpi).toBe(false);
      expect(r.ci_low!, r.kpi).toBeLessThanOrEqual(0);
      expect(r.ci_high!, r.kpi).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('minimum detectable effect', () => {
  it('is positive for every KPI and method', () => {
    const m = of('mde');
    expect(new Set(m.map((r) => r.method))).toEqual(new Set(['before_after', 'difference_in_differences', 'interrupted_time_series']));
    for (const r of m) expect(r.estimate!, `${r.kpi} ${r.method}`).toBeGreaterThan(0);
  });

  it('is smaller for before/after than for the difference-in-differences, which adds the small control region’s noise', () => {
    for (const kpi of planted()) {
      const ba = of('mde').find((r) => r.kpi === kpi && r.method === 'before_after')!;
      const did = of('mde').find((r) => r.kpi === kpi && r.method === 'difference_in_differences')!;
      expect(ba.estimate!, kpi).toBeLessThan(did.estimate!);
    }
  });

  it('lets the before/after detect every planted effect (each is larger than its MDE)', () => {
    for (const e of manifest.effects) {
      const ba = of('mde').find((r) => r.kpi === e.kpi && r.method === 'before_after')!;
      expect(Math.abs(e.effect), e.kpi).toBeGreaterThan(ba.estimate!);
    }
  });
});
