/**
 * The split topology of the README on a real server: one activity worker that owns the
 * warehouse, on its own task queue, and two workflow-only workers anywhere. Runs complete, and
 * what travels through Temporal stays small: references and counts, never rows.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { nightlyLoad } from '../../../../workflows/temporal/workflows.ts';
import { tempDir } from '../../../fixtures/csv.ts';
import { largestPayload } from '../history-payloads.ts';
import { company, connectClient, describeWithServer, FAST, startWorker, stopAllWorkers, uniqueQueue } from './harness.ts';

describeWithServer('one activity worker and two workflow workers on a real server', () => {
  let client: Client;
  let data: string;
  let dir: string;
  beforeAll(async () => {
    client = await connectClient();
    data = await company(1000);
    dir = tempDir('crm-eval-topology-');
  });
  afterAll(async () => {
    await stopAllWorkers();
    await client.connection.close();
    rmSync(data, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs complete, and every payload in their histories is below 64 KB', async () => {
    const taskQueue = uniqueQueue('workflows');
    const activityTaskQueue = uniqueQueue('warehouse-host');
    const activities = await startWorker({ taskQueue, activityTaskQueue, role: 'activities', warehouse: join(dir, 'warehouse.duckdb'), data });
    expect(activities.output()).toContain(`polling ${activityTaskQueue}`);
    const workflowWorkers = [await startWorker({ taskQueue, activityTaskQueue, role: 'workflows' }), await startWorker({ taskQueue, activityTaskQueue, role: 'workflows' })];
    for (const w of workflowWorkers) expect(w.output()).toMatch(new RegExp(`Worker \\(workflows\\) polling ${taskQueue} `));

    // one after the other, as the schedule's overlap policy runs them
    for (const _ of [1, 2]) {
      const run = await client.workflow.start<typeof nightlyLoad>('nightlyLoad', { taskQueue, workflowId: uniqueQueue('split-run'), args: [{ activityTaskQueue, timeouts: FAST }] });
      const summary = await run.result();
      expect(summary.status).toBe('succeeded');
      expect(summary.rows.read).toBe(summary.rows.loaded + summary.rows.quarantined);
      const history = await run.fetchHistory();
      const largest = largestPayload(history);
      expect(largest.bytes).toBeLessThan(64 * 1024);
      // the activities ran on the warehouse host's queue only
      const queues = new Set(history.events!.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.taskQueue!.name] : [])));
      expect([...queues]).toEqual([activityTaskQueue]);
    }
  });
});
