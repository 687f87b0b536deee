/**
 * A retried extract (Temporal retries the activity with the same run id) resumes after the
 * last page it committed instead of reading the API again from the start; and the token is
 * nowhere it should not be: not in the warehouse, the load log, a delivery or a message.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { rawChecksum } from '../../../fixtures/reference-files.ts';
import { apiSource, columnsOf, emulatorFixture, extract, fileChecksum, freshWarehouse, TOKEN } from './api.ts';

const fixture = emulatorFixture();

const tickets = (extra: Record<string, unknown> = {}) => ({
  'crm.tickets': apiSource(fixture.api.url, 'crm.tickets', {
    request: { path: '/api/v2/incremental/tickets/cursor.json', params: { start_time: 0, per_page: 100 } },
    ...extra,
  }),
});

/** Every file under `dir`, read as text. */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path).toString('latin1') }));
}

it('an extract that failed on page 6 is resumed after page 5 by its retry, and loads every ticket once', async () => {
  const warehouse = await freshWarehouse();
  try {
    const progress: string[] = [];
    // The API keeps failing from the sixth request on, longer than the retries last.
    fixture.api.faults.tooManyRequests = { at: fixture.api.requests + 6, count: 3, retryAfterSeconds: 0 };
    const failed = await extract(warehouse, tickets({ retries: 1 }), 'crm.tickets', 'retried', progress).catch((e: Error) => e);
    expect(String(failed)).toMatch(/HTTP 429 Too Many Requests: APIRateLimitExceeded; Number of allowed API requests per minute exceeded \(after the retries\)/);
    expect(progress.filter((m) => / page \d+, /.test(m))).toHaveLength(5);
    const log = await warehouse.one<{ status: string; error: string }>(`SELECT status, error FROM meta.load_log`);
    expect(log.status).toBe('failed');

    const before = fixture.api.requests;
    const retry: string[] = [];
    const out = await extract(warehouse, tickets({ retries: 1 }), 'crm.tickets', 'retried', retry);
    expect(retry[0]).toMatch(/crm\.tickets: resuming after 5 committed page\(s\), 500 rows, cursor/);
    // one request refused, then pages 6 to 9: the first five were not asked for again
    expect(fixture.api.requests - before).toBe(5);
    const expected = await fileChecksum(fixture.dataDir, 'crm.tickets');
    expect(await rawChecksum(warehouse, 'crm_tickets', columnsOf('crm.tickets'))).toEqual(expected);
    expect(out).toMatchObject({ rowsFetched: 805, rowsLoaded: 805 });
    expect((await warehouse.one<{ status: string }>(`SELECT status FROM meta.load_log`)).status).toBe('loaded');
  } finally {
    warehouse.close();
  }
});

it('the token is not written anywhere: warehouse, load log, deliveries, messages', async () => {
  const warehouse = await freshWarehouse();
  const messages: string[] = [];
  try {
    await extract(warehouse, tickets(), 'crm.tickets', 'secret-1', messages);
    // a failing extract too: its error goes to the load log and the run's messages
    fixture.api.faults.serverError = { at: fixture.api.requests + 1 };
    const error = await extract(warehouse, tickets({ retries: 0 }), 'crm.tickets', 'secret-2', messages).catch((e: Error) => e);
    messages.push(String(error), String((error as Error).stack));
    await warehouse.run('CHECKPOINT');
  } finally {
    warehouse.close();
  }
  const folder = dirname(warehouse.path);
  const files = filesUnder(folder);
  expect(files.some((f) => f.path.endsWith('warehouse.duckdb'))).toBe(true);
  for (const file of files) expect(file.text.includes(TOKEN), file.path).toBe(false);
  for (const message of messages) expect(message).not.toContain(TOKEN);
  expect(messages.join('\n')).toMatch(/HTTP 500/);
});
