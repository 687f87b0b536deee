/**
 * Rolling out a new version with runs in flight, with Worker Versioning on a real server (the
 * worker deployment API, not the deprecated build-id options). Workflow workers are versioned
 * and runs are pinned to the version they started on; the one activity worker that owns the
 * warehouse stays unversioned (DuckDB allows one writer, so two versions of it cannot run side
 * by side; its activities hold no replay state and a restart only retries the running one).
 *
 * v1 is current; a run starts on it; v2 comes up and is made current while that run is still
 * going: the run finishes on v1, the next run starts and finishes on v2.
 */
import { expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import type { nightlyLoad } from '../../../../workflows/temporal/workflows.ts';
import { address, describeWithServer, FAST, progressOf, serverFixture, startWorker, temporalCli, uniqueQueue, until } from './harness.ts';

const run = promisify(execFile);

describeWithServer('a new version rolls out with runs in flight (Worker Versioning)', () => {
  const fixture = serverFixture(300, { clean: true });

  /** What an operator types: `temporal worker deployment set-current-version` (retried until the version has registered by polling). */
  async function makeCurrent(deploymentName: string, buildId: string): Promise<void> {
    const args = ['worker', 'deployment', 'set-current-version', '--deployment-name', deploymentName, '--build-id', buildId, '--address', address, '--yes'];
    let last = '';
    await until(
      async () => {
        try {
          await run(temporalCli, args);
          return true;
        } catch (error) {
          last = String((error as { stderr?: string }).stderr ?? error);
          return false;
        }
      },
      30_000,
      () => `set-current-version ${buildId} failed: ${last}`,
    );
  }

  /** The build ids that completed the run's workflow tasks, as the server recorded them. */
  async function buildIdsOf(handle: WorkflowHandle): Promise<string[]> {
    const { events } = await handle.fetchHistory();
    const ids = events!.flatMap((e) => {
      const done = e.workflowTaskCompletedEventAttributes;
      return done ? [done.deploymentVersion?.buildId ?? done.workerVersion?.buildId ?? '(unversioned)'] : [];
    });
    return [...new Set(ids)];
  }

  it('a pinned run finishes on v1 after v2 is made current; the next run runs on v2', async () => {
    const deployment = uniqueQueue('crm-eval');
    const taskQueue = uniqueQueue('versioned-workflows');
    const activityTaskQueue = uniqueQueue('warehouse-host');
    await startWorker({
      taskQueue,
      activityTaskQueue,
      role: 'activities',
      warehouse: join(fixture.dir, 'warehouse.duckdb'),
      data: fixture.data,
      faults: [{ activity: 'buildModels', layer: 'marts', pauseMs: 8000 }],
    });
    const v1 = await startWorker({ taskQueue, activityTaskQueue, role: 'workflows', extraArgs: ['--deployment-name', deployment, '--build-id', 'v1'] });
    expect(v1.output()).toContain(`version ${deployment}:v1`);
    await makeCurrent(deployment, 'v1');

    const start = () =>
      fixture.client.workflow.start<typeof nightlyLoad>('nightlyLoad', { taskQueue, workflowId: uniqueQueue('versioned-run'), args: [{ activityTaskQueue, timeouts: FAST }] });
    const inFlight = await start();
    await until(async () => (await progressOf(inFlight))?.running.includes('transform:marts') ?? false, 60_000, () => 'the first run never reached its marts');

    await startWorker({ taskQueue, activityTaskQueue, role: 'workflows', extraArgs: ['--deployment-name', deployment, '--build-id', 'v2'] });
    await makeCurrent(deployment, 'v2');
    const next = await start();

    expect((await inFlight.result()).status).toBe('succeeded');
    expect((await next.result()).status).toBe('succeeded');
    expect(await buildIdsOf(inFlight)).toEqual(['v1']);
    expect(await buildIdsOf(next)).toEqual(['v2']);
    expect((await inFlight.describe()).raw.workflowExecutionInfo?.versioningInfo?.behavior).toBe(1); // VERSIONING_BEHAVIOR_PINNED
  });
});
