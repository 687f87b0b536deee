/**
 * A run killed with SIGKILL at a random point and run again (same run id) loses and doubles
 * nothing: every raw table holds what a clean run loads, no key twice, the marts and the load
 * log equal a clean run's, and no temporary file is left. A few trials in npm test; 32 in
 * `npm run validate` (or CRASH_TRIALS=N; CRASH_SEED picks the kill times).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../config/load.ts';
import { entities } from '../../../sources/catalog.ts';
import { tableName } from '../../../sources/contract.ts';
import { generateCompany } from '../../../sources/reference-company/generate.ts';
import { publishedPath } from '../../../warehouse/publish.ts';
import { ident, Warehouse } from '../../../warehouse/warehouse.ts';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { tempDir } from '../../fixtures/csv.ts';
import { differences } from '../../fixtures/warehouse-differences.ts';

const CLI = fileURLToPath(new URL('../../../bin/crm-eval.js', import.meta.url));
const TRIALS = Number(process.env.CRASH_TRIALS ?? 3);
const SEED = Number(process.env.CRASH_SEED ?? 20261201);
const SALT = 'same-salt-for-every-run';

let data: string;
let clean: string;
let cleanSeconds: number;
beforeAll(async () => {
  process.env.CRM_EVAL_PII_SALT = SALT;
  data = tempDir('crm-eval-crash-data-');
  await generateCompany({ outDir: data, customers: 500, seed: 42, defects: false });
  clean = join(tempDir('crm-eval-crash-clean-'), 'warehouse.duckdb');
  const run = await runPipeline({ dataDir: data, warehousePath: clean, config: parseConfig({}), runId: 'clean' });
  expect(run.error).toBeUndefined();
  cleanSeconds = run.seconds;
});

/** `crm-eval run` as a user starts it; `killAfterMs` SIGKILLs it then. Resolves with how it ended. */
function run(warehouse: string, runId: string, killAfterMs?: number): Promise<{ code: number | null; signal: string | null; output: string }> {
  const child = spawn(process.execPath, [CLI, 'run', '--data', data, '--warehouse', warehouse, '--run-id', runId, '--skip-reports'], {
    env: { ...process.env, CI: '1', CRM_EVAL_PII_SALT: SALT },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) => child.once('exit', (code, signal) => (clearTimeout(timer), resolve({ code, signal, output }))));
}

/** Rows and distinct keys of every raw table. */
async function rawCounts(path: string): Promise<Record<string, { rows: number; keys: number }>> {
  const warehouse = await Warehouse.open(path, { readOnly: true });
  try {
    const counts: Record<string, { rows: number; keys: number }> = {};
    for (const contract of entities) {
      const key = contract.key.map(ident).join(', ');
      counts[tableName(contract)] = await warehouse.one(`SELECT count(*)::INT AS rows, count(DISTINCT (${key}))::INT AS keys FROM raw.${ident(tableName(contract))}`);
    }
    return counts;
  } finally {
    warehouse.close();
  }
}

describe('a run killed at a random point and run again', () => {
  // a seeded stream of kill times over the whole run (its start-up included)
  let state = SEED;
  const nextDelay = () => {
    state = (state * 48271) % 2147483647;
    // the command starts in about 1.5 s, then runs about as long as the clean run did
    return 300 + (state / 2147483647) * (cleanSeconds * 1000 + 1200);
  };

  for (let trial = 1; trial <= TRIALS; trial++) {
    it(`trial ${trial}: loses and doubles nothing, and leaves no temporary file`, async () => {
      const dir = tempDir('crm-eval-crash-');
      const warehouse = join(dir, 'warehouse.duckdb');
      const delay = Math.round(nextDelay());
      const killed = await run(warehouse, `crash-${trial}`, delay);
      expect(killed.signal, `the run finished before the kill at ${delay} ms: this trial tests nothing`).toBe('SIGKILL');
      console.log(`trial ${trial}: killed after ${delay} ms, at: ${killed.output.trim().split('\n').at(-1) ?? '(start-up)'}`);
      const rerun = await run(warehouse, `crash-${trial}`);
      expect(rerun.code, `killed after ${delay} ms (${killed.signal ?? `exit ${killed.code}`}); rerun:\n${rerun.output}`).toBe(0);

      const counts = await rawCounts(warehouse);
      expect(counts).toEqual(await rawCounts(clean));
      for (const [table, { rows, keys }] of Object.entries(counts)) expect(keys, table).toBe(rows);
      expect(await differences(publishedPath(clean), publishedPath(warehouse))).toEqual([]);
      expect(readdirSync(dir).sort()).toEqual(['warehouse.duckdb', 'warehouse.published.duckdb']);
    });
  }
});
