/**
 * The composite CRM index (transforms/marts/_index.ts) as a property: for random consistent AHP
 * judgements (CR well under 0.10) and random KPI values, every pillar score and the index stay
 * within 0-100, and a month where every KPI is at its target or beyond scores 100.
 * Floating point once made that 100.00000000000001, which failed the mart's 0-100 data test and
 * the whole run.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConfig } from '../../../config/load.ts';
import { generateCompany } from '../../../sources/reference-company/generate.ts';
import { Random } from '../../../sources/reference-company/random.ts';
import { ident, literal, Warehouse } from '../../../warehouse/warehouse.ts';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { tempDir } from '../../fixtures/csv.ts';
import { INDEX_KPIS, indexForMonth, PILLARS, type Pillar } from '../../../transforms/marts/_index.ts';
import { consistentAhpWeights } from '../../../transforms/stats/ahp.ts';

/** A reciprocal matrix from hidden weights, each judgement nudged a little (still consistent). */
function judgements(random: Random, n: number, noise: number): number[][] {
  const hidden = Array.from({ length: n }, () => Math.exp(random.next() * 4 - 2));
  const m = hidden.map(() => Array<number>(n).fill(1));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      m[i]![j] = (hidden[i]! / hidden[j]!) * Math.exp((random.next() * 2 - 1) * noise);
      m[j]![i] = 1 / m[i]![j]!;
    }
  }
  return m;
}

function randomWeights(random: Random) {
  const pillarWeights = consistentAhpWeights(judgements(random, PILLARS.length, 0.1), 'criteria').weights;
  const kpiWeights = new Map<string, number>();
  for (const pillar of PILLARS) {
    const kpis = INDEX_KPIS.filter((k) => k.pillar === pillar);
    const { weights } = consistentAhpWeights(judgements(random, kpis.length, 0.1), pillar);
    kpis.forEach((k, i) => kpiWeights.set(k.kpi, weights[i]!));
  }
  return { kpi: (_: Pillar, kpi: string) => kpiWeights.get(kpi)!, pillar: (p: Pillar) => pillarWeights[PILLARS.indexOf(p)]! };
}

const BASELINE = 10;
const target = (k: (typeof INDEX_KPIS)[number]) => (k.lowerIsBetter ? 8 : 12);

describe('the composite CRM index', () => {
  it('stays within 0-100 for 2,000 random consistent weightings and random values; at target it is 100', () => {
    const random = new Random(7);
    for (let trial = 0; trial < 2000; trial++) {
      const weights = randomWeights(random);
      const month = (value: (k: (typeof INDEX_KPIS)[number]) => number | null) =>
        indexForMonth(Object.fromEntries(INDEX_KPIS.map((k) => [k.kpi, value(k)])), weights, () => BASELINE, target);

      const best = month((k) => target(k) + (k.lowerIsBetter ? -random.next() : random.next()));
      for (const value of [best.crm_index, ...Object.values(best.scores)]) {
        expect(value).toBeLessThanOrEqual(100);
        expect(value).toBeCloseTo(100, 9);
      }
      expect(month((k) => (k.lowerIsBetter ? 100 : 0)).crm_index).toBe(0);

      const any = month(() => (random.next() < 0.1 ? null : random.next() * 20));
      for (const value of [any.crm_index, ...Object.values(any.scores)]) {
        if (value !== null) expect(value).toBeGreaterThanOrEqual(0);
        if (value !== null) expect(value).toBeLessThanOrEqual(100);
      }
    }
  });

  it('a month without a pillar’s KPIs is scored on the others, reweighted', () => {
    const weights = randomWeights(new Random(1));
    const values = Object.fromEntries(INDEX_KPIS.map((k) => [k.kpi, k.pillar === 'cost' ? null : target(k)]));
    const month = indexForMonth(values, weights, () => BASELINE, target);
    expect(month.scores.cost).toBeNull();
    expect(month.contributions.cost).toBeNull();
    expect(month.crm_index).toBeLessThanOrEqual(100);
    expect(month.crm_index).toBeCloseTo(100, 9);
  });
});

describe('a month the data ends in', () => {
  it('is marked partial in crm_index_monthly; the complete months are not', async () => {
    const dataDir = tempDir();
    await generateCompany({ outDir: dataDir, customers: 300, seed: 42, defects: false });
    // the delivery stops on 2025-06-10: June is a third of a month
    await cutDeliveryAt(dataDir, '2025-06-11', { 'crm/orders.csv': 'ordered_at', 'crm/tickets.csv': 'created_at', 'crm/surveys.csv': 'responded_at', 'crm/interactions.csv': 'occurred_at' });
    const warehousePath = join(tempDir(), 'warehouse.duckdb');
    const run = await runPipeline({ dataDir, warehousePath, config: parseConfig({}) });
    expect(run.error).toBeUndefined();
    const warehouse = await Warehouse.open(warehousePath, { readOnly: true });
    const months = await warehouse.all<{ month: string; is_partial: boolean }>(
      `SELECT strftime(month, '%Y-%m') AS month, is_partial FROM marts.crm_index_monthly ORDER BY month`,
    );
    warehouse.close();
    expect(months.at(-1)).toEqual({ month: '2025-06', is_partial: true });
    expect(months.slice(0, -1).every((m) => !m.is_partial)).toBe(true);
  });
});

/** Drops every row dated on or after `day` from the given files (values kept as delivered text). */
async function cutDeliveryAt(dir: string, day: string, files: Record<string, string>): Promise<void> {
  const db = await Warehouse.open(':memory:');
  for (const [file, column] of Object.entries(files)) {
    const path = join(dir, file);
    await db.run(`CREATE OR REPLACE TABLE cut AS SELECT * FROM read_csv(${literal(path)}, all_varchar = true, header = true) WHERE ${ident(column)} < ${literal(day)}`);
    await db.run(`COPY cut TO ${literal(path)} (HEADER, DELIMITER ',', QUOTE '"')`);
  }
  db.close();
}
