/** The command line as a user meets it: real processes, exit codes and what they print. */
import { describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
  // a whole site build: about 2.5 minutes alone, twice that while another test file builds one
  it('run: loads a delivery, ends with the summary table and the report site', { timeout: 900_000 }, async () => {
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
    expect(err).toContain("control_group.values: west matches no customer’s region; the data has: north");
  });

  it('contracts: every entity as Markdown, its columns with type, required or not, allowed values and description', () => {
    const { code, out } = crmEval('contracts');
    expect(code).toBe(0);
    expect(out).toMatch(/^# Source contracts\n/);
    expect(out.match(/^## /gm)).toHaveLength(13);
    expect(out).toContain('## crm.tickets\n\nOne row per ticket. Key: `ticket_id`. File: `crm/tickets.csv`.\n');
    expect(out).toContain('| `priority` | text | yes | urgent, high, normal, low | priority; selects the SLA target |');
    expect(out).toContain('| `resolved_at` | timestamp | no (may be empty) |  | when it was resolved; empty while open |');
    expect(out).toContain('| `birth_year` | integer | no (may be empty) | 1900 to 2100 | for age bands; may be unknown |');
    expect(out).toContain('Personal data: `email`, `phone` (hashed in staging, never in a report).');
    expect(out).toContain('A row is quarantined when first_response_at is before created_at; or resolved_at is before created_at');
    expect(out).toMatch(/## finance\.budgets\n\n.*\(optional: may be left out of a delivery\)/);
  });

  it('contracts --entity --format json-schema: one entity as JSON Schema, open to extra columns', () => {
    const { code, out } = crmEval('contracts', '--entity', 'crm.tickets', '--format', 'json-schema');
    expect(code).toBe(0);
    const schema = JSON.parse(out);
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'crm.tickets', 'x-key': ['ticket_id'], type: 'object' });
    expect(schema.properties.channel).toEqual({ type: 'string', enum: ['phone', 'email', 'chat', 'social', 'web'], description: 'contact channel' });
    expect(schema.properties.resolved_at.anyOf).toContainEqual({ type: 'null' });
    expect(schema.required).toContain('resolved_at'); // the column must be there, its value may be empty
    expect(schema.additionalProperties).toBeUndefined();
    const all = JSON.parse(crmEval('contracts', '--format', 'json-schema').out);
    expect(Object.keys(all)).toHaveLength(13);
    expect(all['hr.timesheets'].title).toBe('hr.timesheets');
  });

  it('contracts --entity with a name that is no entity exits 2 and suggests the one meant', () => {
    const { code, err } = crmEval('contracts', '--entity', 'crm.ticket');
    expect(code).toBe(2);
    expect(err).toMatch(/^crm-eval: --entity crm\.ticket: no such entity \(did you mean crm\.tickets\?\); the entities are: crm\.customers, crm\.orders/);
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

  it('generate --effects none: the null scenario, whose manifest states every true effect as zero; an unknown scenario is refused', () => {
    const out = tempDir();
    const { code, out: printed } = crmEval('generate', '--out', out, '--scale', '300', '--seed', '3', '--effects', 'none');
    expect(code).toBe(0);
    expect(printed).toMatch(/no CRM effect \(null scenario\)/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { effects_scenario: string; effects: Array<{ effect: number }> };
    expect(manifest.effects_scenario).toBe('none');
    expect(manifest.effects.map((e) => e.effect)).toEqual(Array(10).fill(0));
    const wrong = crmEval('generate', '--out', tempDir(), '--effects', 'some');
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toMatch(/--effects.*Allowed choices are planted, none/s);
  });
});
