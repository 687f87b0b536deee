/**
 * The command line meets hostile or careless input: it refuses it with one clear message and an
 * exit code, and never lets it reach SQL or the file system as something else.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
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

describe('--data that is not a delivery folder', () => {
  const cases: Array<[string, () => string, RegExp]> = [
    ['missing', () => join(tempDir(), 'absent'), /data folder .*absent does not exist/],
    ['a file', () => writeFile(join(tempDir(), 'orders.csv'), 'order_id\n'), /orders\.csv is a file, not a folder/],
    ['empty', () => tempDir(), /holds none of the delivery files \(<source>\/<entity>\.csv, \.parquet or \.jsonl, e\.g\. crm\/customers\.csv\)/],
    ['a symlink loop', () => { const d = tempDir(); symlinkSync(join(d, 'loop'), join(d, 'loop')); return join(d, 'loop'); }, /loop is a symbolic link loop/],
  ];
  it.each(cases)('%s: says so once', (_, make, message) => {
    const data = make();
    const { code, out, err } = crmEval('run', '--data', data, '--warehouse', join(tempDir(), 'w.duckdb'), '--skip-reports');
    expect(code).toBe(2);
    expect(err).toMatch(message);
    const text = `${out}\n${err}`;
    expect(text.split('\n').filter((line) => message.test(line))).toHaveLength(1);
    expect(out).not.toMatch(/FAIL|no file delivered/);
  });
});
