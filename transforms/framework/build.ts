/** Builds models in order and runs their data tests. */
import type { BuildContext, Model } from './model.ts';
import { checkColumns, contractTests } from './contract-tests.ts';
import { unique, type DataTest } from './data-tests.ts';

export interface ModelBuilt {
  model: string;
  rows: number;
  seconds: number;
}

export async function buildModel(context: BuildContext, model: Model): Promise<ModelBuilt> {
  // performance.now(): a small model builds in under a millisecond, which Date.now() records as 0
  const started = performance.now();
  const built = await model.build(context);
  if (typeof built === 'string') {
    await context.warehouse.run(`CREATE OR REPLACE TABLE ${model.name} AS ${built}`);
  }
  const { rows } = await context.warehouse.one<{ rows: number }>(`SELECT count(*)::BIGINT AS rows FROM ${model.name}`);
  return { model: model.name, rows, seconds: (performance.now() - started) / 1000 };
}

export interface DataTestResult {
  model: string;
  test: string;
  severity: 'error' | 'warn';
  failures: number;
  /** up to five offending keys */
  sample: string[];
}

const SAMPLE = 5;

/** Every test of a model: contract columns, key uniqueness, contract-derived and declared tests. */
export function testsOf(model: Model): DataTest[] {
  return [unique(...model.key), ...contractTests(model.contract, model.key), ...(model.tests ?? [])];
}

export async function testModel(context: BuildContext, model: Model): Promise<DataTestResult[]> {
  const results: DataTestResult[] = [];
  const columnProblems = await checkColumns(context.warehouse, model.name, model.contract);
  results.push({
    model: model.name,
    test: 'contract columns',
    severity: 'error',
    failures: columnProblems.length,
    sample: columnProblems.slice(0, SAMPLE),
  });
  if (columnProblems.length > 0) return results; // other tests would fail on the same cause
  for (const test of testsOf(model)) {
    const sql = test.offending(model.name);
    const [{ failures }] = await context.warehouse.all<{ failures: number }>(`SELECT count(*)::BIGINT AS failures FROM (${sql})`);
    const sample =
      failures === 0
        ? []
        : (await context.warehouse.all<{ key: string }>(`SELECT key FROM (${sql}) ORDER BY key LIMIT ${SAMPLE}`)).map((r) => String(r.key));
    results.push({ model: model.name, test: test.name, severity: test.severity ?? 'error', failures, sample });
  }
  return results;
}

/** Thrown when a data test of severity error fails; the message lists each failure. */
export class DataTestError extends Error {
  override name = 'DataTestError';
  constructor(readonly failures: DataTestResult[]) {
    super(
      `${failures.length} data test(s) failed:\n` +
        failures.map((f) => `  ${f.model} › ${f.test}: ${f.failures} offending row(s), e.g. ${f.sample.join(', ')}`).join('\n'),
    );
  }
}

export function assertPassed(results: readonly DataTestResult[]): void {
  const failed = results.filter((r) => r.failures > 0 && r.severity === 'error');
  if (failed.length > 0) throw new DataTestError(failed);
}
