/**
 * A nightly load on a real Temporal server with the CRM's tickets and customers read from the
 * API emulator (Zendesk and HubSpot shapes) and the rest from files. The API starts refusing
 * requests in the middle of the tickets, longer than the connector's own retries last: the
 * activity fails, Temporal retries it, and the retry resumes after the pages the first attempt
 * committed. The run ends with every ticket once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../../sources/examples/crm-api/emulator.ts';
import { Warehouse } from '../../../../warehouse/warehouse.ts';
import type { nightlyLoad } from '../../../../workflows/temporal/workflows.ts';
import type { ExtractOutput } from '../../../../workflows/activities.ts';
import { describeWithServer, FAST, serverFixture, startWorker, uniqueQueue } from './harness.ts';

const TOKEN = 'server-test-token-3141';

describeWithServer('API sources on a real Temporal server', () => {
  const fixture = serverFixture(300, { clean: true });
  let api: Emulator;
  beforeAll(async () => {
    api = await startEmulator({ dataDir: fixture.data, token: TOKEN });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('an extract the API throttles past its retries is retried by Temporal and resumes after its committed pages', async () => {
    const http = (preset: string, extra: Record<string, unknown> = {}) => ({
      kind: 'http', preset, base_url: api.url, auth: { type: 'bearer', token_env: 'CRM_API_TOKEN' }, max_requests_per_second: 1000, max_backoff: 1, retries: 1, ...extra,
    });
    const config = join(fixture.dir, 'sources.json');
    writeFileSync(config, JSON.stringify({
      sources: {
        'crm.tickets': http('zendesk-support', { request: { path: '/api/v2/incremental/tickets/cursor.json', params: { start_time: 0, per_page: 100 } } }),
        'crm.customers': http('hubspot-crm'),
      },
    }));
    const tickets = api.collection('tickets').length;
    expect(tickets).toBeGreaterThan(300);
    // the third request for tickets and the one after it are refused (customers are read meanwhile)
    api.faults.tooManyRequests = { at: 3, count: 2, retryAfterSeconds: 0, path: '/api/v2/incremental/tickets/cursor.json' };

    const taskQueue = uniqueQueue('api-sources');
    const warehouse = join(fixture.dir, 'api.duckdb');
    const worker = await startWorker({ taskQueue, warehouse, data: fixture.data, extraArgs: ['--config', config], env: { CRM_API_TOKEN: TOKEN } });
    const handle = await fixture.client.workflow.start<typeof nightlyLoad>('nightlyLoad', { taskQueue, workflowId: uniqueQueue('api-run'), args: [{ timeouts: FAST }] });
    const summary = await handle.result();
    expect(summary.status, worker.output()).toBe('succeeded');

    // The server's history: the ticket extract ran twice, the first attempt failing on the 429s.
    const { events } = await handle.fetchHistory();
    const scheduled = events!.find((e) => e.activityTaskScheduledEventAttributes?.input?.payloads?.some((p) => Buffer.from(p.data!).toString().includes('"tickets"')))!;
    const started = events!.find((e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled.eventId))!;
    expect(started.activityTaskStartedEventAttributes!.attempt).toBe(2);
    expect(started.activityTaskStartedEventAttributes!.lastFailure!.message).toMatch(/HTTP 429 Too Many Requests.*\(after the retries\)/);
    const completed = events!.find((e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(scheduled.eventId))!;
    const output = JSON.parse(Buffer.from(completed.activityTaskCompletedEventAttributes!.result!.payloads![0]!.data!).toString()) as ExtractOutput;
    expect(output).toMatchObject({ rowsFetched: tickets, rowsLoaded: tickets, resumedPages: 2 });
    expect(output.file).toBe(`${api.url}/api/v2/incremental/tickets/cursor.json`);

    worker.kill('SIGTERM');
    await worker.exited;
    const db = await Warehouse.open(warehouse, { readOnly: true });
    try {
      expect(await db.one(`SELECT count(*)::INT AS rows, count(DISTINCT ticket_id)::INT AS keys FROM raw.crm_tickets`)).toEqual({ rows: tickets, keys: tickets });
      expect(await db.one(`SELECT count(*)::INT AS rows FROM raw.crm_customers`)).toEqual({ rows: 300 });
    } finally {
      db.close();
    }
  });
});
