/**
 * The end-to-end correctness test of the whole stack (METRICS.md §9): the reference company
 * is generated with effects of known size, runs through the pipeline, and the case study must
 * find each of them at the scale `npm start` generates: significant, the right way. That the
 * intervals cover the true effects as often as they claim takes more than one seed:
 * case-study-seeds.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConfig } from '../../../config/load.ts';
import { generateCompany, type Manifest } from '../../../sources/reference-company/generate.ts';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { tempDir } from '../../fixtures/csv.ts';

interface CaseStudyRow {
  kpi: string;
  method: string;
  rel_change: number;
  abs_change: number;
  ci_of: 'rel_change' | 'abs_change';
  ci_low: number;
  ci_high: number;
  significant: boolean;
  method_note: string;
}

let manifest: Manifest;
let rows: CaseStudyRow[];
let bySegment: Array<CaseStudyRow & { cut_value: string }>;
let repeatSnapshots: Array<{ period: string; n: number; customers: number }>;
let repeatSeries: Array<{ month: string; in_ramp_up: boolean }>;

beforeAll(async () => {
  const dataDir = tempDir();
  // the company `npm start` generates
  manifest = await generateCompany({ outDir: dataDir, customers: 5000, seed: 42 });
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  const result = await runPipeline({ dataDir, warehousePath, config: parseConfig({}), runId: 'case-study' });
  expect(result.error).toBeUndefined();
  const warehouse = await Warehouse.open(warehousePath, { readOnly: true });
  rows = await warehouse.all<CaseStudyRow & Record<string, unknown>>(`SELECT * FROM marts.case_study WHERE cut = 'all'`);
  bySegment = await warehouse.all<CaseStudyRow & { cut_value: string }>(`SELECT * FROM marts.case_study WHERE cut = 'segment' AND kpi = 'csat'`);
  // the treated customers' repeat purchase observations of the two snapshots the case study compares
  repeatSnapshots = await warehouse.all(`SELECT strftime(month, '%Y-%m') AS period, count(*)::INT AS n, count(DISTINCT customer_id)::INT AS customers
    FROM marts.kpi_observations WHERE kpi = 'repeat_purchase_rate' AND is_treated AND month IN (DATE '2023-06-01', DATE '2025-03-01') GROUP BY ALL ORDER BY period`);
  repeatSeries = await warehouse.all(`SELECT strftime(month, '%Y-%m') AS month, in_ramp_up FROM marts.case_study_series WHERE kpi = 'repeat_purchase_rate' ORDER BY month`);
  warehouse.close();
});

const UNIT_LEVEL = ['csat', 'nps', 'ces_avg', 'first_response_hours', 'complaint_first_response_hours', 'resolution_hours', 'fcr', 'aht_minutes', 'complaint_rate', 'repeat_purchase_rate'];

// Coverage of the planted effects on several seeds, and the null scenario: case-study-seeds.test.ts.
describe('the case study finds every planted effect at the default scale', () => {
  it.each(UNIT_LEVEL)('%s: the before/after is significant, of the right sign, its interval in the KPI’s unit and clustered by customer', (kpi) => {
    const truth = manifest.effects.find((e) => e.kpi === kpi)!;
    const row = rows.find((r) => r.kpi === kpi && r.method === 'before_after')!;
    expect(row.ci_of).toBe(truth.unit === 'points' ? 'abs_change' : 'rel_change');
    expect(row.significant).toBe(true);
    expect(Math.sign(row.ci_of === 'rel_change' ? row.rel_change : row.abs_change)).toBe(Math.sign(truth.effect));
    expect(row.method_note).toMatch(/^cluster-robust \(CR1\) standard errors clustered by customer \(\d+ customers\), t with \d+ df/);
  });
});

describe('the repeat purchase rate, a trailing 12-month window', () => {
  it('compares one snapshot per customer a period: the 12 months before go-live and the last 12 of the after period', () => {
    const row = rows.find((r) => r.kpi === 'repeat_purchase_rate' && r.method === 'before_after')! as CaseStudyRow & { n_before: number; n_after: number };
    expect(repeatSnapshots.map((s) => s.period)).toEqual(['2023-06', '2025-03']);
    expect(repeatSnapshots.map((s) => s.n)).toEqual(repeatSnapshots.map((s) => s.customers));
    expect([row.n_before, row.n_after]).toEqual(repeatSnapshots.map((s) => s.n));
  });

  it('leaves out of the time series every month whose window reaches back into the ramp-up, and covers the planted change', () => {
    // go-live 2023-07, ramp-up to 2023-10: the first window wholly after it ends 2024-09
    expect(repeatSeries.filter((m) => m.in_ramp_up).map((m) => m.month)).toEqual(
      ['2023-07', '2023-08', '2023-09', '2023-10', '2023-11', '2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08'],
    );
    const truth = manifest.effects.find((e) => e.kpi === 'repeat_purchase_rate')!;
    const its = rows.find((r) => r.kpi === 'repeat_purchase_rate' && r.method === 'interrupted_time_series')!;
    // the level change is in rate points: the planted relative effect on the pre-go-live rate
    expect(truth.effect * truth.baseline!).toBeGreaterThanOrEqual(its.ci_low);
    expect(truth.effect * truth.baseline!).toBeLessThanOrEqual(its.ci_high);
  });
});

describe('the case study within segment cuts', () => {
  it('finds the CSAT effect, planted for every segment alike, inside each segment’s interval', () => {
    const truth = manifest.effects.find((e) => e.kpi === 'csat')!.effect;
    expect(bySegment.map((r) => r.cut_value).sort()).toEqual(['business', 'retail', 'vip']);
    for (const row of bySegment) {
      expect(truth, row.cut_value).toBeGreaterThanOrEqual(row.ci_low);
      expect(truth, row.cut_value).toBeLessThanOrEqual(row.ci_high);
    }
  });
});
