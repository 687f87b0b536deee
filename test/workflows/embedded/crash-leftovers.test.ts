/**
 * What a killed run leaves behind is cleaned up by the next one: the half-written snapshot file
 * (and its WAL) of a publish that never finished, and the run that stays 'running' forever.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureRunLog } from '../../../workflows/activities.ts';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { publishedPath, publishSnapshot } from '../../../warehouse/publish.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../../fixtures/company.ts';
import { tempDir } from '../../fixtures/csv.ts';

describe('after a killed run', () => {
  it('publish removes the temporary snapshot and WAL a killed publish left, but not a live one', async () => {
    const path = join(tempDir(), 'warehouse.duckdb');
    const dead = `${publishedPath(path)}.tmp-999999`;
    const live = `${publishedPath(path)}.tmp-${process.ppid}`; // a running process: maybe publishing right now
    for (const file of [dead, `${dead}.wal`, live]) writeFileSync(file, 'half written');
    const warehouse = await Warehouse.open(path);
    try {
      await warehouse.run(`CREATE TABLE marts.x AS SELECT 1 AS a`);
      await publishSnapshot(warehouse, null);
    } finally {
      warehouse.close();
    }
    expect(readdirSync(dirname(path)).sort()).toEqual(['warehouse.duckdb', 'warehouse.published.duckdb', `warehouse.published.duckdb.tmp-${process.ppid}`]);
    expect(existsSync(dead)).toBe(false);
  });

  it('the next run marks a run that was left running as abandoned', async () => {
    const path = join(tempDir(), 'warehouse.duckdb');
    const warehouse = await Warehouse.open(path);
    try {
      await ensureRunLog(warehouse);
      await warehouse.run(`INSERT INTO meta.runs VALUES ('killed-1', 'embedded', '/data', TIMESTAMP '2026-11-30 02:00:00', NULL, 'running', NULL, NULL)`);
      await warehouse.run(`INSERT INTO meta.runs VALUES ('temporal-1', 'temporal:nightlyLoad', '/data', TIMESTAMP '2026-11-30 02:00:00', NULL, 'running', NULL, NULL)`);
    } finally {
      warehouse.close();
    }
    const result = await runPipeline({ dataDir: writeTinyCompany(), warehousePath: path, config: tinyCompanyConfig(), runId: 'next-1' });
    expect(result.status).toBe('succeeded');
    const after = await Warehouse.open(path, { readOnly: true });
    try {
      const runs = await after.all<{ run_id: string; status: string; error: string | null; finished: boolean }>(
        `SELECT run_id, status, error, finished_at IS NOT NULL AS finished FROM meta.runs ORDER BY run_id`,
      );
      expect(runs).toEqual([
        { run_id: 'killed-1', status: 'abandoned', error: 'the process running it ended before it finished (found by run next-1)', finished: true },
        { run_id: 'next-1', status: 'succeeded', error: null, finished: true },
        // a Temporal run outlives its worker: the workflow records its own end
        { run_id: 'temporal-1', status: 'running', error: null, finished: false },
      ]);
    } finally {
      after.close();
    }
  });
});
