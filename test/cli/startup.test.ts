/** Commands that touch no data load none of DuckDB, Temporal or Evidence (issue 14: fast start). */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

function nativeAddons(args: string[], env: NodeJS.ProcessEnv = {}): string[] {
  const result = spawnSync(process.execPath, ['--require', './test/fixtures/native-modules.cjs', 'bin/crm-eval.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(/native-addons (.*)/.exec(result.stderr)![1]!) as string[];
}

describe.runIf(existsSync('/proc/self/maps'))('start-up', () => {
  for (const env of [{}, { CRM_EVAL_FROM_SOURCE: '1' }]) {
    const how = 'CRM_EVAL_FROM_SOURCE' in env ? 'from the sources' : 'precompiled when built';
    it(`--help, --version and contracts load no native module (${how})`, { timeout: 120_000 }, () => {
      for (const args of [['--help'], ['--version'], ['contracts', '--entity', 'crm.orders']]) expect(nativeAddons(args, env)).toEqual([]);
    });
  }

  it('a command that opens the warehouse does load DuckDB (the probe sees it)', { timeout: 120_000 }, () => {
    const result = spawnSync(process.execPath, ['--require', './test/fixtures/native-modules.cjs', 'bin/run-ts.js', 'test/fixtures/open-memory-warehouse.ts'], { encoding: 'utf8' });
    expect(result.stderr).toMatch(/native-addons .*duckdb\.node/);
  });

  it('every command module is imported through load(), which switches TypeScript on first (the precompiled CLI cannot import .ts without it)', () => {
    const main = readFileSync('cli/main.ts', 'utf8');
    const imports = main.match(/.{0,20}import\('\.\/commands\/[^']+'\)/g) ?? [];
    expect(imports.length).toBeGreaterThan(10);
    for (const line of imports) expect(line).toMatch(/load\(\(\) => import\(/);
  });
});
