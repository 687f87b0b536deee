/**
 * The reference company is staffed for its ticket volume (issue 13): at two scales, occupancy
 * (handle time ÷ agent hours, METRICS.md §4) lies in the 55-85% a contact centre plans for in
 * every month, and most customers contribute a profit after their cost to serve. The default
 * configuration's industry benchmarks fill benchmark_comparison.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConfig } from '../../../config/load.ts';
import { DEFAULT_BENCHMARKS } from '../../../config/benchmarks.ts';
import { generateCompany } from '../../../sources/reference-company/generate.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { tempDir } from '../../fixtures/csv.ts';

interface Figures {
  occupancy: Array<{ month: string; occupancy: number | null }>;
  profitable: number;
  benchmarks: Array<{ kpi: string; value: number | null; benchmark: number; gap: number | null; better: boolean | null; source: string }>;
}

async function figures(customers: number): Promise<Figures> {
  const dataDir = tempDir();
  await generateCompany({ outDir: dataDir, customers, seed: 42 });
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  const run = await runPipeline({ dataDir, warehousePath, config: parseConfig({}), runId: `staffing-${customers}` });
  expect(run.error).toBeUndefined();
  const warehouse = await Warehouse.open(warehousePath, { readOnly: true });
  try {
    return {
      occupancy: await warehouse.all(`SELECT strftime(month, '%Y-%m') AS month, occupancy FROM marts.efficiency_monthly WHERE cut = 'all' ORDER BY month`),
      profitable: (await warehouse.all<{ share: number }>(`SELECT avg((profit_contribution > 0)::INT) AS share FROM marts.customer_value`))[0]!.share,
      benchmarks: await warehouse.all(`SELECT kpi, value, benchmark, gap, better, source FROM marts.benchmark_comparison ORDER BY kpi`),
    };
  } finally {
    warehouse.close();
  }
}

const SCALES = [1000, 5000];
const results = new Map<number, Figures>();
beforeAll(async () => {
  for (const customers of SCALES) results.set(customers, await figures(customers));
}, 600_000);

describe.each(SCALES)('the reference company of %i customers', (customers) => {
  it('keeps its agents 55-85% occupied in every one of its 48 months', () => {
    const { occupancy } = results.get(customers)!;
    expect(occupancy).toHaveLength(48);
    const outside = occupancy.filter((m) => m.occupancy === null || m.occupancy < 0.55 || m.occupancy > 0.85);
    expect(outside).toEqual([]);
  });

  it('has a positive profit contribution for most customers', () => {
    expect(results.get(customers)!.profitable).toBeGreaterThan(0.5);
  });

  it('compares each KPI of the default benchmarks with its source, the latest value and the gap', () => {
    const { benchmarks } = results.get(customers)!;
    expect(benchmarks.map((b) => b.kpi)).toEqual(Object.keys(DEFAULT_BENCHMARKS).sort());
    for (const b of benchmarks) {
      expect(b).toMatchObject({ benchmark: DEFAULT_BENCHMARKS[b.kpi]!.value, source: DEFAULT_BENCHMARKS[b.kpi]!.source });
      expect(b.value).not.toBeNull();
      expect(b.gap).toBeCloseTo(b.value! - b.benchmark, 9);
      expect(typeof b.better).toBe('boolean');
    }
  });
});
