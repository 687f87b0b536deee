/**
 * The offline patch to Evidence (reports/evidence/patches/, applied by patch-package on
 * install) must be the code that runs. After an upgrade of Evidence these fail, which is the
 * signal to port the patch (see reports/README.md) rather than ship a site that hangs offline.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PATCHES = 'reports/evidence/patches';
const patches = readdirSync(PATCHES).filter((f) => f.endsWith('.patch'));

describe('the Evidence offline patch', () => {
  it.each(patches)('%s is for the installed version', (patch) => {
    const [, name, version] = /^(.+)\+([^+]+)\.patch$/.exec(patch)!;
    const installed = JSON.parse(readFileSync(join('node_modules', name!.replace('+', '/'), 'package.json'), 'utf8')).version;
    expect(installed, `${name} is ${installed}; the patch was written for ${version}`).toBe(version);
  });

  it.each(patches)('%s is applied, exactly', (patch) => {
    // Reversing must succeed hunk by hunk: every patched line is in node_modules as written.
    expect(() => execFileSync('git', ['apply', '--reverse', '--check', join(PATCHES, patch)], { stdio: 'pipe' })).not.toThrow();
  });

  it('replaces every use of duckdb-wasm read_parquet, which downloads its extension', () => {
    const src = 'node_modules/@evidence-dev/universal-sql/src';
    for (const file of ['build-parquet.js', 'client-duckdb/node.js', 'client-duckdb/browser.js']) {
      const code = readFileSync(join(src, file), 'utf8');
      expect(code, file).toContain('crm-eval offline patch');
      expect(code.replace(/^\s*(\/\/|\*).*$/gm, ''), file).not.toMatch(/SELECT \* FROM read_parquet\('\$\{file_name\}'\)/);
    }
    expect(readFileSync(join(src, 'client-duckdb/browser.js'), 'utf8')).toContain('SET enable_external_access = false');
  });
});
