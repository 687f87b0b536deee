import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';
import { AS_OF_SOURCES, dataAsOf } from './_as-of.ts';
import { INDEX_KPIS } from './_index.ts';

export const model = defineModel({
  name: 'marts.benchmark_comparison',
  description:
    'Benchmarks (标杆分析): for each KPI the configuration gives an industry or competitor value for (with its source), the company’s latest monthly value and the gap. The default configuration gives indicative published industry values (config/benchmarks.ts); empty when `benchmarks: {}`.',
  grain: 'one row per benchmarked KPI',
  key: ['kpi'],
  dependsOn: ['marts.satisfaction_monthly', 'marts.loyalty_monthly', 'marts.efficiency_monthly', 'marts.cost_kpis_monthly', ...AS_OF_SOURCES],
  contract: z.object({
    kpi: z.string(),
    value_unit: z.enum(['share', 'points', 'score', 'hours', 'per_1000', 'money']).describe('what value, benchmark and gap are: share (fraction 0..1), points, score, hours, per_1000, money (configured currency)'),
    month: z.iso.date().nullable().describe('the month of the latest value, a complete month (a partial last month is left out)'),
    value: z.number().nullable(),
    benchmark: z.number(),
    gap: z.number().nullable().describe('value − benchmark'),
    better: z.boolean().nullable().describe('the company beats the benchmark, given which way is better'),
    source: z.string(),
  }),
  build: async ({ warehouse, config }) => {
    const rows: Array<Record<string, unknown>> = [];
    // A partial last month (the data ends before it does) is no fair comparison with a
    // benchmark: a few days of answers can land anywhere.
    const asOf = await dataAsOf(warehouse);
    for (const [kpi, benchmark] of Object.entries(config.benchmarks)) {
      const known = INDEX_KPIS.find((k) => k.kpi === kpi);
      if (!known) throw new Error(`benchmarks.${kpi}: no monthly KPI of that name (known: ${INDEX_KPIS.map((k) => k.kpi).join(', ')})`);
      // A money benchmark in another currency than the report’s is no comparison at all.
      if (known.unit === 'money' && benchmark.currency !== undefined && benchmark.currency !== config.currency) continue;
      const [table, column] = known.source.split('.') as [string, string];
      const [latest] = await warehouse.all<{ month: string; value: number }>(`
        SELECT
          strftime(month, '%Y-%m-%d') AS month,
          ${column} AS value
        FROM marts.${table}
        WHERE ${column} IS NOT NULL
          AND last_day(month) <= $1
          ${table === 'cost_kpis_monthly' ? '' : "AND cut = 'all'"}
        ORDER BY month DESC
        LIMIT 1`, [asOf]);
      const gap = latest ? latest.value - benchmark.value : null;
      rows.push({
        kpi, value_unit: known.unit, month: latest?.month ?? null, value: latest?.value ?? null, benchmark: benchmark.value, gap,
        better: gap === null ? null : known.lowerIsBetter ? gap < 0 : gap > 0, source: benchmark.source,
      });
    }
    await writeTable(warehouse, 'marts.benchmark_comparison', [
      ['kpi', 'VARCHAR'], ['value_unit', 'VARCHAR'], ['month', 'DATE'], ['value', 'DOUBLE'], ['benchmark', 'DOUBLE'], ['gap', 'DOUBLE'], ['better', 'BOOLEAN'], ['source', 'VARCHAR'],
    ], rows);
  },
});
