/**
 * `crm-eval run --example crm-api`, as a user runs it: the reference company's CRM data comes
 * from the API emulator (Zendesk and HubSpot shapes), its ledger, employees and timesheets from
 * PostgreSQL, the rest from files; the marts equal a run of the same company from files alone.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { parseConfig } from '../../../config/load.ts';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { tempDir } from '../../fixtures/csv.ts';
import { differences } from '../../fixtures/warehouse-differences.ts';
import { adminDb, availableServers } from '../connectors/database/servers.ts';

const servers = await availableServers();

afterAll(async () => {
  // the example leaves its database for the user to look at; the test does not
  if (!servers.includes('postgres')) return;
  const admin = adminDb('postgres');
  await sql`DROP DATABASE IF EXISTS crm_eval_example_erp WITH (FORCE)`.execute(admin);
  await admin.destroy();
});

// one salt for both warehouses, so their pseudonymous customer keys compare
const SALT = { CRM_EVAL_PII_SALT: 'crm-api-example-test' };

function crmEval(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/crm-eval.js', ...args], { env: { ...process.env, ...SALT, CI: 'true' }, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out, err }),
    );
  });
}

it.runIf(servers.includes('postgres'))('extracts the CRM over HTTP and finance and HR from PostgreSQL, and builds the marts a file run builds', { timeout: 300_000 }, async () => {
  mkdirSync(join('data', 'examples'), { recursive: true });
  // a first night: the example's warehouse from an earlier run would make this one incremental
  for (const file of readdirSync(join('data', 'examples'), { withFileTypes: true }).filter((f) => f.name.startsWith('crm-api.'))) rmSync(join('data', 'examples', file.name), { force: true });
  const { code, out, err } = await crmEval('run', '--example', 'crm-api', '--run-id', 'crm-api-test');
  expect(err).toBe('');
  expect(code, out).toBe(0);
  expect(out).toMatch(/API emulator \(Zendesk and HubSpot shapes\) at http:\/\/127\.0\.0\.1:\d+/);
  expect(out).toMatch(/PostgreSQL postgres@127\.0\.0\.1:5432\/crm_eval_example_erp \(ledger\.gl_lines \d+/);
  for (const [entity, from] of [
    ['crm.tickets', 'http://127.0.0.1:\\d+/api/v2/incremental/tickets/cursor.json'],
    ['crm.surveys', 'http://127.0.0.1:\\d+/api/v2/satisfaction_ratings'],
    ['crm.customers', 'http://127.0.0.1:\\d+/crm/v3/objects/contacts/search'],
    ['crm.orders', 'http://127.0.0.1:\\d+/crm/v3/objects/orders/search'],
    ['finance.gl_entries', 'postgres://postgres@127.0.0.1:5432/crm_eval_example_erp/ledger.gl_lines'],
    ['hr.employees', 'postgres://postgres@127.0.0.1:5432/crm_eval_example_erp/hr.employees'],
    ['hr.timesheets', 'postgres://postgres@127.0.0.1:5432/crm_eval_example_erp/hr.timesheets'],
  ]) {
    expect(out).toMatch(new RegExp(`ok {3}extract ${entity.replace('.', '\\.')} · [\\d,]+ fetched from ${from}, `));
  }
  expect(out).toContain('reconciled: rows read = rows loaded + rows quarantined');

  // The same company from its files alone: the same marts, the same counts in the load log.
  const fromFiles = join(tempDir('crm-eval-crm-api-files-'), 'warehouse.duckdb');
  Object.assign(process.env, SALT);
  const files = await runPipeline({ dataDir: join('data', 'examples', 'crm-api'), warehousePath: fromFiles, config: parseConfig({}), runId: 'files' });
  expect(files.error).toBeUndefined();
  expect(await differences(fromFiles, join('data', 'examples', 'crm-api.duckdb'))).toEqual([]);
});
