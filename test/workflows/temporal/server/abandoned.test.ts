/**
 * A run terminated on the Temporal server (an operator's `temporal workflow terminate`, an
 * execution timeout) never records its end: the next run asks the server and marks it
 * abandoned in meta.runs, with how it ended, instead of leaving it 'running' forever.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Warehouse } from '../../../../warehouse/warehouse.ts';
import type { nightlyLoad } from '../../../../workflows/temporal/workflows.ts';
import { describeWithServer, FAST, progressOf, serverFixture, startWorker, uniqueQueue, until } from './harness.ts';

describeWithServer('a run terminated on the server', () => {
  const fixture = serverFixture(200, { clean: true });

  it('is marked abandoned by the next run, with the status the server gave it', async () => {
    const taskQueue = uniqueQueue('terminated');
    const warehouse = join(fixture.dir, 'terminated.duckdb');
    // the marts step pauses, so the first run can be terminated while it is running
    const worker = await startWorker({ taskQueue, warehouse, data: fixture.data, faults: [{ activity: 'buildModels', layer: 'marts', pauseMs: 4000 }] });
    const start = (id: string) => fixture.client.workflow.start<typeof nightlyLoad>('nightlyLoad', { taskQueue, workflowId: id, args: [{ timeouts: FAST }] });
    const first = await start(uniqueQueue('terminated-run'));
    await until(async () => (await progressOf(first))?.running.includes('transform:marts') ?? false, 60_000, () => 'the marts step never ran');
    await first.terminate('an operator stopped it');

    const second = await start(uniqueQueue('next-run'));
    expect((await second.result()).status).toBe('succeeded');
    worker.kill('SIGTERM');
    await worker.exited;
    const db = await Warehouse.open(warehouse, { readOnly: true });
    try {
      const runs = await db.all<{ run_id: string; status: string; error: string | null }>(`SELECT run_id, status, error FROM meta.runs ORDER BY started_at`);
      expect(runs).toEqual([
        { run_id: first.workflowId, status: 'abandoned', error: `the workflow ended on the server (TERMINATED) before it recorded its end (found by run ${second.workflowId})` },
        { run_id: second.workflowId, status: 'succeeded', error: null },
      ]);
    } finally {
      db.close();
    }
  });
});
