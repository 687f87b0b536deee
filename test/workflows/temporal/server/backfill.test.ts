/**
 * A backfill on a real Temporal server, long enough to continue as new twice: the progress a
 * `crm-eval status` shows survives each hand-over, and the re-extracted months replace what the
 * nightly load held for them instead of adding to it.
 */
import { expect, it } from 'vitest';
import { join } from 'node:path';
import { Warehouse } from '../../../../warehouse/warehouse.ts';
import type { backfill, nightlyLoad } from '../../../../workflows/temporal/workflows.ts';
import { crmEval, describeWithServer, FAST, progressOf, serverFixture, startWorker, uniqueQueue, until } from './harness.ts';

describeWithServer('a backfill on a real Temporal server', () => {
  const fixture = serverFixture(300, { clean: true });

  it('continues as new every month chunk, keeps its progress, and replaces the months it re-reads', async () => {
    const taskQueue = uniqueQueue('backfill');
    const warehouse = join(fixture.dir, 'warehouse.duckdb');
    // each survey extract takes 5 s longer, so the run can be watched between hand-overs
    const worker = await startWorker({ taskQueue, warehouse, data: fixture.data, faults: [{ activity: 'extractEntity', entity: 'surveys', pauseMs: 5000 }] });
    const nightly = await fixture.client.workflow.start<typeof nightlyLoad>('nightlyLoad', { taskQueue, workflowId: uniqueQueue('before-backfill'), args: [{ timeouts: FAST }] });
    await nightly.result();

    const workflowId = uniqueQueue('backfill-run');
    const handle = await fixture.client.workflow.start<typeof backfill>('backfill', {
      taskQueue,
      workflowId,
      args: [{ from: '2024-01-01', to: '2024-04-01', chunksPerRun: 1, timeouts: FAST }],
    });
    const firstExecution = handle.firstExecutionRunId;
    await until(async () => (await progressOf(handle))?.backfill?.current?.from === '2024-03-01', 90_000, () => 'the backfill never reached its third month');
    const progress = (await progressOf(handle))!;
    expect(progress.backfill).toMatchObject({ from: '2024-01-01', to: '2024-04-01', chunksDone: 2, chunksTotal: 3 });
    expect(progress.done).toEqual(expect.arrayContaining(['extract:crm.surveys@2024-01-01', 'extract:crm.surveys@2024-02-01']));
    expect(progress.rows.read).toBeGreaterThan(0);
    expect((await handle.describe()).runId).not.toBe(firstExecution); // a later execution answers

    const status = await crmEval(['status', workflowId]);
    expect(status.output).toMatch(/backfill 2024-01-01 to 2024-04-01 \(exclusive\): (2\/3 months, now 2024-03-01|3\/3 months)/);

    const summary = await fixture.client.workflow.getHandle<typeof backfill>(workflowId).result();
    expect(summary.status).toBe('succeeded');
    expect(summary.steps.map((s) => s.id)).toEqual(expect.arrayContaining(['extract:crm.surveys@2024-01-01', 'extract:crm.surveys@2024-03-01', 'publish']));

    // two hand-overs: three executions of one workflow id
    const executions: string[] = [];
    for await (const w of fixture.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) executions.push(w.status.name);
    expect(executions.sort()).toEqual(['COMPLETED', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW']);

    worker.kill('SIGTERM');
    await worker.exited;
    const db = await Warehouse.open(warehouse, { readOnly: true });
    try {
      const surveys = await db.one<{ rows: number; distinct_ids: number; backfilled: number }>(
        `SELECT count(*)::INT AS rows, count(DISTINCT response_id)::INT AS distinct_ids,
                count(*) FILTER (WHERE load_id LIKE '${workflowId}@%')::INT AS backfilled
         FROM raw.crm_surveys`,
      );
      expect(surveys.rows).toBe(surveys.distinct_ids); // nothing doubled
      expect(surveys.backfilled).toBeGreaterThan(0); // the months were re-read by the backfill
    } finally {
      db.close();
    }
  });
});
