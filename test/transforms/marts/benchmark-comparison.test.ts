/**
 * benchmark_comparison on the tiny company: a configured benchmark is compared with the latest
 * month, in the KPI's unit; `benchmarks: {}` leaves the mart empty (its page shows an empty
 * table); a benchmark for a KPI with no monthly series stops the run and names the known ones.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../../fixtures/company.ts';
import { tempDir } from '../../fixtures/csv.ts';

async function run(benchmarks: Record<string, { value: number; source: string }>) {
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  const result = await runPipeline({ dataDir: writeTinyCompany(), warehousePath, config: tinyCompanyConfig({ benchmarks }), runId: 'benchmarks' });
  if (result.error) return { error: result.error, rows: [] };
  const warehouse = await Warehouse.open(warehousePath, { readOnly: true });
  try {
    return { error: undefined, rows: await warehouse.all('SELECT kpi, value_unit, value, benchmark, gap, better, source FROM marts.benchmark_comparison ORDER BY kpi') };
  } finally {
    warehouse.close();
  }
}

describe('benchmark_comparison', () => {
  it('compares the latest first response time with the benchmark: the gap in hours, lower is better', async () => {
    const { error, rows } = await run({ first_response_hours: { value: 12, source: 'a survey' } });
    expect(error).toBeUndefined();
    expect(rows).toHaveLength(1);
    const row = rows[0] as { value: number; gap: number; better: boolean };
    expect(row).toMatchObject({ kpi: 'first_response_hours', value_unit: 'hours', benchmark: 12, source: 'a survey' });
    expect(row.gap).toBeCloseTo(row.value - 12, 12);
    expect(row.better).toBe(row.value < 12);
  });

  it('is empty with no benchmarks configured', async () => {
    expect(await run({})).toEqual({ error: undefined, rows: [] });
  });

  it('refuses a benchmark for a KPI without a monthly series, naming the known ones', async () => {
    const { error } = await run({ occupancy: { value: 0.8, source: 'a survey' } });
    expect(String(error)).toMatch(/benchmarks\.occupancy: no monthly KPI of that name \(known: csat, nps, .*cost_per_ticket/);
  });
});
