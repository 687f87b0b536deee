/**
 * The split topology of the README on a real server: one activity worker that owns the
 * warehouse, on its own task queue, and two workflow-only workers anywhere. Runs complete, and
 * what travels through Temporal stays small: references and counts, never rows.
 */
import { expect, it } from 'vitest';
import { join } from 'node:path';
import type { nightlyLoad } from '../../../../workflows/temporal/workflows.ts';
import { largestPayload } from '../history-payloads.ts';
import { describeWithServer, FAST, serverFixture, startWorker, uniqueQueue } from './harness.ts';

describeWithServer('one activity worker and two workflow workers on a real server', () => {
  const fixture = serverFixture(1000);

  it('runs complete, and every payload in their histories is below 64 KB', async () => {
    const taskQueue = uniqueQueue('workflows');
    const activityTaskQueue = uniqueQueue('warehouse-host');
    const activities = await startWorker({ taskQueue, activityTaskQueue, role: 'activities', warehouse: join(fixture.dir, 'warehouse.duckdb'), data: fixture.data });
    expect(activities.output()).toContain(`polling ${activityTaskQueue}`);
    const workflowWorkers = [await startWorker({ taskQueue, activityTaskQueue, role: 'workflows' }), await startWorker({ taskQueue, activityTaskQueue, role: 'workflows' })];
    for (const w of workflowWorkers) expect(w.output()).toMatch(new RegExp(`Worker \\(workflows\\) polling ${taskQueue} `));

    // one after the other, as the schedule's overlap policy runs them
    for (const _ of [1, 2]) {
      const run = await fixture.client.workflow.start<typeof nightlyLoad>('nightlyLoad', { taskQueue, workflowId: uniqueQueue('split-run'), args: [{ activityTaskQueue, timeouts: FAST }] });
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
