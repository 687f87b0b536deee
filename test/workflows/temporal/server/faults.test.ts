/**
 * Faults injected for real on a real Temporal server: an extract that fails after writing, a
 * delivery that breaks its contract, a worker SIGKILLed in the middle of a long step, a worker
 * stopped with SIGTERM. Each run must end with exactly the source's rows: nothing lost, nothing
 * doubled, nothing half-published.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { publishedPath } from '../../../../warehouse/publish.ts';
import { Warehouse } from '../../../../warehouse/warehouse.ts';
import type { nightlyLoad } from '../../../../workflows/temporal/workflows.ts';
import { tempDir } from '../../../fixtures/csv.ts';
import { company, connectClient, describeWithServer, FAST, progressOf, startWorker, stopAllWorkers, uniqueQueue, until, type WorkerProcess } from './harness.ts';

describeWithServer('faults on a real Temporal server', () => {
  let data: string;
  let client: Client;
  const dirs: string[] = [];
  beforeAll(async () => {
    data = await company(300, { clean: true });
    client = await connectClient();
  });
  afterEach(stopAllWorkers);
  afterAll(async () => {
    await client.connection.close();
    for (const dir of [data, ...dirs]) rmSync(dir, { recursive: true, force: true });
  });

  const warehouseFile = () => {
    const dir = tempDir('crm-eval-faults-');
    dirs.push(dir);
    return join(dir, 'warehouse.duckdb');
  };
  const start = (taskQueue: string) =>
    client.workflow.start<typeof nightlyLoad>('nightlyLoad', { taskQueue, workflowId: uniqueQueue('faults-run'), args: [{ timeouts: FAST }] });
  /** Stops the worker (it holds the warehouse) and counts rows, per load id, in a raw table. */
  async function rawRows(worker: WorkerProcess, warehousePath: string, table: string): Promise<Array<{ load_id: string; rows: number; keys: number }>> {
    worker.kill('SIGTERM');
    await worker.exited;
    const warehouse = await Warehouse.open(warehousePath, { readOnly: true });
    try {
      return await warehouse.all(`SELECT load_id, count(*)::INT AS rows, count(DISTINCT source_row)::INT AS keys FROM raw.${table} GROUP BY load_id`);
    } finally {
      warehouse.close();
    }
  }
  const csvRows = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n').length - 1;

  it('a transient failure after an extract wrote its rows is retried, and the retry replaces them', async () => {
    const taskQueue = uniqueQueue('transient');
    const warehouse = warehouseFile();
    const worker = await startWorker({ taskQueue, warehouse, data, faults: [{ activity: 'extractEntity', entity: 'tickets', attempts: [1], fail: 'after' }] });
    const handle = await start(taskQueue);
    const summary = await handle.result();
    expect(summary.status).toBe('succeeded');

    // The server recorded the failed attempt: the ticket extract started twice.
    const { events } = await handle.fetchHistory();
    const tickets = events!.filter((e) => e.activityTaskScheduledEventAttributes?.input?.payloads?.some((p) => Buffer.from(p.data!).toString().includes('"tickets"')));
    expect(tickets).toHaveLength(1);
    const scheduledId = tickets[0]!.eventId;
    const started = events!.find((e) => e.activityTaskStartedEventAttributes && String(e.activityTaskStartedEventAttributes.scheduledEventId) === String(scheduledId));
    expect(started!.activityTaskStartedEventAttributes!.attempt).toBe(2);
    expect(started!.activityTaskStartedEventAttributes!.lastFailure!.message).toMatch(/injected fault: extractEntity fails after its work \(attempt 1\)/);

    const rows = await rawRows(worker, warehouse, 'crm_tickets');
    expect(rows).toEqual([{ load_id: handle.workflowId, rows: csvRows(join(data, 'crm/tickets.csv')), keys: csvRows(join(data, 'crm/tickets.csv')) }]);
  });

  it('a contract violation fails the run at once, with the message a human needs, and publishes nothing', async () => {
    const broken = tempDir('crm-eval-broken-');
    dirs.push(broken);
    cpSync(data, broken, { recursive: true });
    const orders = join(broken, 'crm/orders.csv');
    const [header, ...lines] = readFileSync(orders, 'utf8').split('\n');
    const columns = header!.split(',');
    const drop = columns.indexOf('amount');
    writeFileSync(orders, [columns.filter((_, i) => i !== drop).join(','), ...lines.map((l) => l.split(',').filter((_, i) => i !== drop).join(','))].join('\n'));

    const taskQueue = uniqueQueue('contract');
    const warehouse = warehouseFile();
    await startWorker({ taskQueue, warehouse, data: broken });
    const handle = await start(taskQueue);
    const failure = await handle.result().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const message = ((failure as WorkflowFailedError).cause as Error).message;
    expect(message).toContain(`run ${handle.workflowId} failed`);
    expect(message).toMatch(/extract:crm\.orders: crm\.orders \(.*orders\.csv\): .*amount/);
    // not retried: every activity ran once (the server records the start of an activity's last attempt)
    const { events } = await handle.fetchHistory();
    const attempts = events!.flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt] : []));
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts).toEqual(attempts.map(() => 1));
    const progress = await progressOf(handle);
    expect(progress?.skipped).toEqual(expect.arrayContaining(['transform:staging', 'transform:marts', 'test', 'publish']));
    expect(existsSync(publishedPath(warehouse))).toBe(false);
  });

  it('a run id outside the documented character set fails the workflow at once, before any step', async () => {
    const taskQueue = uniqueQueue('run-id');
    await startWorker({ taskQueue, warehouse: warehouseFile(), data });
    const handle = await client.workflow.start<typeof nightlyLoad>('nightlyLoad', {
      taskQueue,
      workflowId: uniqueQueue('run-id-run'),
      args: [{ runId: "x'; DROP TABLE raw.hr_training; --", timeouts: FAST }],
    });
    const failure = (await handle.result().catch((error: unknown) => error)) as WorkflowFailedError;
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure.cause as Error).message).toMatch(/^invalid run id "x'; DROP TABLE raw\.hr_training; --": expected a letter or digit/);
    const { events } = await handle.fetchHistory();
    expect(events!.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
  });

  it('a worker SIGKILLed in the middle of a long step: a second worker finishes the run after the heartbeat timeout, with the source rows exactly', async () => {
    const taskQueue = uniqueQueue('sigkill');
    const warehouse = warehouseFile();
    // The ticket extract commits its rows, then works on for a minute (heartbeating): the kill comes then.
    const first = await startWorker({ taskQueue, warehouse, data, faults: [{ activity: 'extractEntity', entity: 'tickets', pauseMs: 60_000, at: 'after' }] });
    const handle = await start(taskQueue);
    await until(async () => (await progressOf(handle))?.running.includes('extract:crm.tickets') ?? false, 60_000, () => 'the ticket extract never started');
    await new Promise((resolve) => setTimeout(resolve, 2000)); // well inside the step, rows committed
    first.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = await startWorker({ taskQueue, warehouse, data });
    const summary = await handle.result();
    expect(summary.status).toBe('succeeded');
    // The server noticed the lost worker by the missing heartbeats (5 s here), not the 2 h
    // start-to-close timeout: the retried attempt's last failure is a heartbeat timeout.
    const { events } = await handle.fetchHistory();
    const timedOut = events!.filter((e) => e.activityTaskStartedEventAttributes?.lastFailure?.timeoutFailureInfo);
    expect(timedOut.length).toBeGreaterThanOrEqual(1);
    const TIMEOUT_TYPE_HEARTBEAT = 4; // temporal.api.enums.v1.TimeoutType
    for (const e of timedOut) expect(e.activityTaskStartedEventAttributes!.lastFailure!.timeoutFailureInfo!.timeoutType).toBe(TIMEOUT_TYPE_HEARTBEAT);

    const rows = await rawRows(second, warehouse, 'crm_tickets');
    const delivered = csvRows(join(data, 'crm/tickets.csv'));
    expect(rows).toEqual([{ load_id: handle.workflowId, rows: delivered, keys: delivered }]);
    expect(summary.rows.read).toBe(summary.rows.loaded + summary.rows.quarantined);
  });

  it('a worker stopped with SIGTERM finishes its running step and exits cleanly; the next worker carries on', async () => {
    const taskQueue = uniqueQueue('sigterm');
    const warehouse = warehouseFile();
    const first = await startWorker({ taskQueue, warehouse, data, faults: [{ activity: 'buildModels', layer: 'staging', pauseMs: 4000 }] });
    const handle = await start(taskQueue);
    await until(async () => (await progressOf(handle))?.running.includes('transform:staging') ?? false, 60_000, () => 'staging never started');
    first.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('SIGTERM: stopping');
    expect(first.output()).toContain('Worker stopped.');
    // The step it was running completed before it left: no attempt of it failed.
    const { events } = await handle.fetchHistory();
    expect(events!.some((e) => e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes)).toBe(false);

    await startWorker({ taskQueue, warehouse, data });
    const summary = await handle.result();
    expect(summary.status).toBe('succeeded');
    expect(summary.steps.find((s) => s.id === 'transform:staging')?.status).toBe('done');
  });
});
