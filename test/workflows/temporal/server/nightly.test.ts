/**
 * The nightly load on a real Temporal server, through a real worker (`crm-eval worker`), against
 * the same delivery as an embedded run: the marts and the load log must come out identical, and
 * the run is watched the way an operator watches it (`crm-eval status`).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConfig } from '../../../../config/load.ts';
import { publishedPath } from '../../../../warehouse/publish.ts';
import { runPipeline } from '../../../../workflows/embedded/pipeline.ts';
import type { nightlyLoad } from '../../../../workflows/temporal/workflows.ts';
import { tempDir } from '../../../fixtures/csv.ts';
import { company, connectClient, crmEval, describeWithServer, differences, progressOf, startWorker, stopAllWorkers, uniqueQueue, until } from './harness.ts';

describeWithServer('the nightly load on a real Temporal server', () => {
  let data: string;
  let dir: string;
  beforeAll(async () => {
    // customer keys are salted hashes: one salt for both warehouses (the worker inherits it)
    process.env.CRM_EVAL_PII_SALT = 'same-salt-for-both-runs';
    data = await company(1000);
    dir = tempDir('crm-eval-nightly-');
  });
  afterAll(stopAllWorkers);

  it('produces the same marts and load log as the embedded runner, and status shows it while it runs', async () => {
    const embedded = join(dir, 'embedded.duckdb');
    const embeddedRun = await runPipeline({ dataDir: data, warehousePath: embedded, config: parseConfig({}) });
    expect(embeddedRun.status).toBe('succeeded');

    // The marts step pauses 8 s (heartbeating), so the run can be watched while it is running.
    const taskQueue = uniqueQueue('nightly');
    const warehouse = join(dir, 'temporal.duckdb');
    await startWorker({ taskQueue, warehouse, data, faults: [{ activity: 'buildModels', layer: 'marts', pauseMs: 8000 }] });
    const client = await connectClient();
    const handle = await client.workflow.start<typeof nightlyLoad>('nightlyLoad', { taskQueue, workflowId: uniqueQueue('nightly-run'), args: [{}] });

    await until(async () => (await progressOf(handle))?.running.includes('transform:marts') ?? false, 60_000, () => 'the marts step never ran');
    const status = await crmEval(['status', handle.workflowId]);
    expect(status.code).toBe(0);
    expect(status.output).toContain(`Run ${handle.workflowId} (nightlyLoad): RUNNING`);
    expect(status.output).toMatch(/steps: 1[45] done, 1 running, 0 failed/);
    expect(status.output).toContain('running: transform:marts');
    const read = embeddedRun.outcomes.reduce((sum, o) => sum + ((o.output as { rowsRead?: number } | undefined)?.rowsRead ?? 0), 0);
    expect(status.output).toContain(`rows so far: ${read.toLocaleString('en-US')} read`);

    const summary = await handle.result();
    expect(summary.status).toBe('succeeded');
    expect(summary.rows.read).toBe(read);
    expect(await differences(publishedPath(embedded), publishedPath(warehouse))).toEqual([]);
    await client.connection.close();
  });
});
