/** The command line as a user meets it: real processes, exit codes and what they print. */
import { describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, writeFile } from '../fixtures/csv.ts';
import { writeTinyCompany, writeTinyCompanyConfig } from '../fixtures/company.ts';

function crmEval(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/crm-eval.js', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** The same, without blocking the test worker while a long command (a site build) runs. */
function crmEvalAsync(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/crm-eval.js', ...args], { env: { ...process.env, CI: 'true' }, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out, err }),
    );
  });
}

describe('crm-eval', () => {
  it('run: loads a delivery, ends with the summary table and the report site', { timeout: 300_000 }, async () => {
    const warehouse = join(tempDir(), 'w.duckdb');
    const site = join(tempDir(), 'site');
    const { code, out, err } = await crmEvalAsync('run', '--data', writeTinyCompany(), '--config', writeTinyCompanyConfig(), '--warehouse', warehouse, '--site', site);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/│ reports +│ ok/);
    expect(existsSync(join(site, 'index.html'))).toBe(true);
    expect(existsSync(join(site, 'case-study', 'index.html')) || existsSync(join(site, 'case-study.html'))).toBe(true);
    expect(out).toMatch(/ok {3}extract crm\.customers · 1 read, 1 loaded, 0 quarantined/);
    expect(out).toMatch(/Run run-\S+: succeeded/);
    expect(out).toContain('reconciled: rows read = rows loaded + rows quarantined');
    expect(out).toMatch(/│ publish +│ ok/);
    expect(existsSync(warehouse.replace('.duckdb', '.published.duckdb'))).toBe(true);
  });

  it('run: a failing step exits 1 and names the step and the reason', () => {
    // a delivery without crm/customers (a folder with no delivery at all is refused before any step)
    const data = tempDir();
    writeFile(join(data, 'hr', 'training.csv'), 'employee_id,course,completed_at,hours,score\n');
    const { code, out, err } = crmEval('run', '--data', data, '--warehouse', join(tempDir(), 'w.duckdb'), '--skip-reports');
    expect(code).toBe(1);
    expect(out).toMatch(/FAIL extract crm\.customers: crm\.customers .*no file delivered/);
    expect(err).toMatch(/crm-eval: run run-\S+ failed:\nextract:crm\.customers: /);
  });

  it('run: settings that do not fit the data stop it before the marts, naming each setting and what the data has', () => {
    // no --config: the defaults are the reference company's (go-live 2023-07-01, control region west)
    const { code, out, err } = crmEval('run', '--data', writeTinyCompany(), '--warehouse', join(tempDir(), 'w.duckdb'), '--skip-reports');
    expect(code).toBe(1);
    expect(out).toMatch(/FAIL build marts: the configuration does not fit the data/);
    expect(err).toContain('crm_go_live: 2023-07-01 is after the last record, so nothing comes after it; the data runs from 2022-02-01 to 2022-03-01');
    expect(err).toContain("control_group.values: west matches no customer's region; the data has: north");
  });

  it('a bad configuration exits 2 with the path of each bad value', () => {
    const config = writeFile(join(tempDir(), 'c.yaml'), 'sla:\n  first_response_hours: { urgent: 0, high: 4, normal: 8, low: 24 }\n');
    const { code, err } = crmEval('run', '--config', config, '--data', tempDir());
    expect(code).toBe(2);
    expect(err).toContain('sla.first_response_hours.urgent: expected a positive number');
  });

  it('reports: without a published snapshot or a built site, says what to run first', () => {
    const build = crmEval('reports', 'build', '--warehouse', join(tempDir(), 'w.duckdb'), '--out', join(tempDir(), 'site'));
    expect(build.code).toBe(1);
    expect(build.err).toMatch(/no published snapshot at .*w\.published\.duckdb: run the pipeline first \(crm-eval run\)/);
    const serve = crmEval('reports', 'serve', '--out', tempDir());
    expect(serve.code).toBe(1);
    expect(serve.err).toMatch(/no built site in .*: run crm-eval reports build \(or npm start\) first/);
  });

  it('generate: writes the reference company where run reads it', () => {
    const out = tempDir();
    const { code, out: printed } = crmEval('generate', '--out', out, '--scale', '300', '--seed', '3');
    expect(code).toBe(0);
    expect(printed).toMatch(/Wrote .*crm\.orders/);
    for (const file of ['manifest.json', 'crm/customers.csv', 'crm/tickets.csv', 'finance/gl_entries.csv', 'hr/employees.csv']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
  });
});
