/**
 * The command line meets hostile or careless input: it refuses it with one clear message and an
 * exit code, and never lets it reach SQL or the file system as something else.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, writeFile } from '../fixtures/csv.ts';
import { writeTinyCompany } from '../fixtures/company.ts';

function crmEval(...args: string[]) {
  // tsx's cache is shared between checkouts of the project; never let it resolve another one's files
  const env = { ...process.env, CI: 'true', TSX_DISABLE_CACHE: '1' };
  const result = spawnSync(process.execPath, ['bin/crm-eval.js', ...args], { encoding: 'utf8', env });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('--run-id', () => {
  it.each(["x'; DROP TABLE raw.hr_training; --", "o'brien", 'a b'])('refuses %j with exit 2 before running anything', (id) => {
    const warehouse = join(tempDir(), 'w.duckdb');
    const { code, out, err } = crmEval('run', '--data', writeTinyCompany(), '--warehouse', warehouse, '--skip-reports', '--run-id', id);
    expect(code).toBe(2);
    expect(err).toContain(`crm-eval: invalid --run-id ${JSON.stringify(id)}: expected a letter or digit followed by at most 199`);
    expect(out).not.toContain('Running the pipeline');
  });
});

describe('the site folder', () => {
  it('reports build --out refuses a folder the build did not write, and keeps its files', () => {
    const out = join(tempDir(), 'Documents');
    writeFile(join(out, 'thesis.docx'), 'years of work');
    const { code, err } = crmEval('reports', 'build', '--warehouse', join(tempDir(), 'w.duckdb'), '--out', out);
    expect(code).toBe(2);
    expect(err).toContain(`crm-eval: ${out} is not empty and was not written by the report build (no .crm-eval-site in it)`);
    expect(readFileSync(join(out, 'thesis.docx'), 'utf8')).toBe('years of work');
  });

  it('run --site refuses it before running anything', () => {
    const out = join(tempDir(), 'Documents');
    writeFile(join(out, 'thesis.docx'), 'years of work');
    const { code, out: printed, err } = crmEval('run', '--data', writeTinyCompany(), '--warehouse', join(tempDir(), 'w.duckdb'), '--site', out);
    expect(code).toBe(2);
    expect(err).toContain('was not written by the report build');
    expect(printed).not.toContain('Running the pipeline');
    expect(readFileSync(join(out, 'thesis.docx'), 'utf8')).toBe('years of work');
  });
});
