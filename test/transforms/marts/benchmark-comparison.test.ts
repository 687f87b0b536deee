/**
 * benchmark_comparison on the tiny company: a configured benchmark is compared with the latest
 * complete month, in the KPI's unit (the gap itself is checked on the reference company);
 * `benchmarks: {}` leaves the mart empty (its page shows an empty table); a money benchmark in
 * another currency is left out; a benchmark for a KPI with no monthly series stops the run and
 * names the known ones.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../../fixtures/company.ts';
import { tempDir } from '../../fixtures/csv.ts';

async function run(benchmarks: Record<string, { value: number; source: string; currency?: string }>, currency = 'CNY') {
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  const config = tinyCompanyConfig({ benchmarks, currency });
  const result = await runPipeline({ dataDir: writeTinyCompany(), warehousePath, config, runId: 'benchmarks' });
  if (result.error) return { error: result.error, rows: [], months: [] };
  const warehouse = await Warehouse.open(warehousePath, { readOnly: true });
  try {
    return {
      error: undefined,
      rows: await warehouse.all(`SELECT kpi, value_unit, strftime(month, '%Y-%m-%d') AS month, value, benchmark, gap, better, source FROM marts.benchmark_comparison ORDER BY kpi`),
      months: await warehouse.all<{ month: string; is_partial: boolean }>(`SELECT strftime(month, '%Y-%m-%d') AS month, is_partial FROM marts.crm_index_monthly ORDER BY month`),
    };
  } finally {
    warehouse.close();
  }
}

describe('benchmark_comparison', () => {
  it('compares no partial month: the tiny company’s data ends on 3 February, so it has no complete month to compare', async () => {
    const { error, rows, months } = await run({ first_response_hours: { value: 12, source: 'a survey' } });
    expect(error).toBeUndefined();
    // February has a first response time of its own, from three days of tickets: not a month’s
    expect(months.map((m) => m.is_partial)).toEqual(months.map(() => true));
    expect(rows).toEqual([
      { kpi: 'first_response_hours', value_unit: 'hours', month: null, value: null, benchmark: 12, gap: null, better: null, source: 'a survey' },
    ]);
  });

  it('is empty with no benchmarks configured', async () => {
    expect((await run({})).rows).toEqual([]);
  });

  it('leaves out a money benchmark in another currency than the report’s, and keeps one in it', async () => {
    const cost = (currency: string) => ({ cost_per_ticket: { value: 15, currency, source: 'a survey' } });
    expect((await run(cost('USD'), 'EUR')).rows).toEqual([]);
    expect((await run(cost('EUR'), 'EUR')).rows).toMatchObject([{ kpi: 'cost_per_ticket', value_unit: 'money', benchmark: 15 }]);
  });

  it('refuses a benchmark for a KPI without a monthly series, naming the known ones', async () => {
    const { error } = await run({ occupancy: { value: 0.8, source: 'a survey' } });
    expect(String(error)).toMatch(/benchmarks\.occupancy: no monthly KPI of that name \(known: csat, nps, .*cost_per_ticket/);
  });
});
