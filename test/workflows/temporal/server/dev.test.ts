/**
 * `crm-eval dev` (`npm run start:temporal`), as a new user runs it: it starts its own Temporal
 * dev server from the CLI, a worker, applies and triggers the nightly schedule, shows the run
 * as `npm start` does, and leaves nothing running (the global setup checks for leftovers).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../fixtures/csv.ts';
import { company, crmEval, describeWithServer, temporalCli } from './harness.ts';

describeWithServer('crm-eval dev', () => {
  let data: string;
  let dir: string;
  beforeAll(async () => {
    data = await company(300);
    dir = tempDir('crm-eval-dev-');
  });
  afterAll(() => {
    rmSync(data, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the main job through a server and a worker of its own, with the progress and summary of npm start, and stops both', async () => {
    const { TEMPORAL_ADDRESS: _, ...env } = process.env;
    const run = await crmEval(['dev', '--data', data, '--warehouse', join(dir, 'warehouse.duckdb'), '--skip-reports'], { ...env, TEMPORAL_CLI: temporalCli }, { onServer: false });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/Temporal dev server started on 127\.0\.0\.1:\d+/);
    expect(run.output).toContain('Schedule crm-eval-nightly created');
    expect(run.output).toMatch(/ok {3}extract crm\.orders · [\d,]+ read, [\d,]+ loaded, 2 quarantined/);
    expect(run.output).toMatch(/ok {3}publish snapshot/);
    expect(run.output).toMatch(/Run crm-eval-nightly-\S+: succeeded/);
    expect(run.output).toContain('reconciled: rows read = rows loaded + rows quarantined');
    expect(run.output).toContain('Worker stopped, dev server stopped.');
  });
});
