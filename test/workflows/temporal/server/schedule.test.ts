/**
 * The nightly schedule as code, on a real server, through the commands a data engineer types:
 * `crm-eval schedule apply` twice leaves one schedule, updated; `trigger` starts a run that
 * completes; a second trigger while it runs is skipped by the overlap policy; `describe`,
 * `pause`, `unpause` and `delete` do what the README says.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { SCHEDULE_ID } from '../../../../workflows/temporal/client.ts';
import { tempDir } from '../../../fixtures/csv.ts';
import { company, connectClient, crmEval, describeWithServer, startWorker, stopAllWorkers, uniqueQueue, until } from './harness.ts';

describeWithServer('the nightly schedule on a real Temporal server', () => {
  let client: Client;
  let data: string;
  let dir: string;
  const taskQueue = uniqueQueue('schedule');
  const schedule = (action: string, ...args: string[]) => crmEval(['schedule', action, '--task-queue', taskQueue, ...args]);
  beforeAll(async () => {
    client = await connectClient();
    data = await company(300, { clean: true });
    dir = tempDir('crm-eval-schedule-');
  });
  afterAll(async () => {
    await stopAllWorkers();
    await client.schedule.getHandle(SCHEDULE_ID).delete().catch(() => undefined);
    await client.connection.close();
    rmSync(data, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('apply twice: one schedule, created then updated', async () => {
    const first = await schedule('apply', '--skip-reports');
    expect(first).toMatchObject({ code: 0 });
    expect(first.output).toContain(`Schedule ${SCHEDULE_ID} created: nightlyLoad (no report site) at "0 2 * * *" UTC`);
    const second = await schedule('apply', '--skip-reports');
    expect(second.output).toContain(`Schedule ${SCHEDULE_ID} updated`);
    const ids: string[] = [];
    for await (const s of client.schedule.list()) ids.push(s.scheduleId);
    expect(ids.filter((id) => id === SCHEDULE_ID)).toHaveLength(1);
  });

  it('trigger starts a run that completes; a second trigger while it runs is skipped', async () => {
    // the marts step takes 10 s longer than usual, so the second trigger finds the run going
    await startWorker({ taskQueue, warehouse: join(dir, 'warehouse.duckdb'), data, faults: [{ activity: 'buildModels', layer: 'marts', pauseMs: 10_000 }] });
    const handle = client.schedule.getHandle(SCHEDULE_ID);
    expect((await schedule('trigger')).output).toContain('triggered');
    await until(async () => (await handle.describe()).info.runningActions.length === 1, 30_000, () => 'the triggered run did not start');
    const [running] = (await handle.describe()).info.runningActions;
    expect(running!.workflow.workflowId).toMatch(new RegExp(`^${SCHEDULE_ID}-\\d{4}-\\d{2}-\\d{2}T`));

    expect((await schedule('trigger')).code).toBe(0);
    await until(async () => (await handle.describe()).info.numActionsSkippedOverlap === 1, 15_000, () => 'the second trigger was not skipped');
    const run = client.workflow.getHandle(running!.workflow.workflowId);
    expect(await run.result()).toMatchObject({ status: 'succeeded', runId: running!.workflow.workflowId });
    const info = (await handle.describe()).info;
    expect(info.recentActions).toHaveLength(1);
    expect(info.runningActions).toHaveLength(0);

    const described = await schedule('describe');
    expect(described.output).toContain(`Schedule ${SCHEDULE_ID}: active`);
    expect(described.output).toContain('overlap SKIP');
    expect(described.output).toContain(`ran: `);
    expect(described.output).toContain(`→ ${running!.workflow.workflowId}`);
  });

  it('pause keeps its note, survives apply, and unpause lifts it; delete removes it', async () => {
    expect((await schedule('pause', '--note', 'ERP migration weekend')).output).toContain('paused');
    expect((await schedule('describe')).output).toContain('PAUSED (ERP migration weekend)');
    await schedule('apply', '--skip-reports');
    expect((await schedule('describe')).output).toContain('PAUSED (ERP migration weekend)');
    await schedule('unpause');
    expect((await schedule('describe')).output).toContain(`Schedule ${SCHEDULE_ID}: active`);

    expect((await schedule('delete')).output).toContain('deleted');
    const gone = await schedule('describe');
    expect(gone.code).toBe(1);
    expect(gone.output).toMatch(/not found/i);
  });
});
