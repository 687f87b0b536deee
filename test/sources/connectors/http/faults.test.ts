/**
 * The faults real APIs have, served by the emulator on demand: for each, the extract equals a
 * file load of the same data (retried, waited out, skipped or merged), or fails with the
 * promised message. Tickets come through Zendesk's incremental export (1000 per page, so the
 * fault lands on one of several pages: per_page is lowered to 100), customers through
 * HubSpot's search.
 */
import { beforeAll, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../../sources/examples/crm-api/emulator.ts';
import { rawChecksum } from '../../../fixtures/reference-files.ts';
import { apiSource, columnsOf, emulatorFixture, extract, fileChecksum, freshWarehouse, latestChecksum, tableOf, TOKEN } from './api.ts';

const fixture = emulatorFixture();
let expected: { rows: number; checksum: string };
beforeAll(async () => {
  expected = await fileChecksum(fixture.dataDir, 'crm.tickets');
});

/** Tickets in pages of 100 (9 pages for the 805 tickets of the company). */
const tickets = (extra: Record<string, unknown> = {}) => ({
  'crm.tickets': apiSource(fixture.api.url, 'crm.tickets', {
    request: { path: '/api/v2/incremental/tickets/cursor.json', params: { start_time: 0, per_page: 100 } },
    ...extra,
  }),
});

/** Extracts the tickets with these faults and returns what happened. */
async function ticketsWith(faults: Emulator['faults'], extra: Record<string, unknown> = {}) {
  Object.assign(fixture.api.faults, faults);
  const warehouse = await freshWarehouse();
  const progress: string[] = [];
  const started = Date.now();
  try {
    const out = await extract(warehouse, tickets(extra), 'crm.tickets', 'faults', progress);
    return { out, progress, seconds: (Date.now() - started) / 1000, raw: await rawChecksum(warehouse, 'crm_tickets', columnsOf('crm.tickets')), latest: await latestChecksum(warehouse, 'crm.tickets') };
  } finally {
    warehouse.close();
  }
}

it('slow pages: every page waits, none is lost', async () => {
  const { out, raw } = await ticketsWith({ slowMs: 50 });
  expect(raw).toEqual(expected);
  expect(out.rowsFetched).toBe(expected.rows);
});

it('a burst of 429: waits what Retry-After says, then reads on', async () => {
  const start = fixture.api.requests;
  const { raw, progress, seconds } = await ticketsWith({ tooManyRequests: { at: start + 3, count: 2, retryAfterSeconds: 1 } });
  expect(raw).toEqual(expected);
  expect(progress.filter((m) => /HTTP 429 \(Retry-After 1\)/.test(m))).toHaveLength(2);
  // two waits of a full second each: the header was honoured, not the (shorter) backoff
  expect(seconds).toBeGreaterThanOrEqual(2);
});

it('a 500 mid-stream is retried with backoff', async () => {
  const { raw, progress } = await ticketsWith({ serverError: { at: fixture.api.requests + 4 } });
  expect(raw).toEqual(expected);
  expect(progress.some((m) => /retry 1\/8 after HTTP 500/.test(m))).toBe(true);
});

it('a connection dropped in the middle of a page is retried, and the page read whole', async () => {
  const { raw, progress } = await ticketsWith({ dropConnection: { at: fixture.api.requests + 2 } });
  expect(raw).toEqual(expected);
  expect(progress.some((m) => /retry 1\/8/.test(m))).toBe(true);
});

it('a page sent twice is skipped, not loaded twice', async () => {
  const { out, raw, progress } = await ticketsWith({ repeatPage: { at: fixture.api.requests + 3 } });
  expect(raw).toEqual(expected);
  expect(out.rowsFetched).toBe(expected.rows);
  expect(progress.some((m) => /page 3 repeats the page before it \(100 records\): skipped/.test(m))).toBe(true);
});

it('records changed during the crawl: their new version is read too, and staging keeps the newest', async () => {
  fixture.api.updated.length = 0;
  const { out, latest } = await ticketsWith({ updateDuring: { at: fixture.api.requests + 4, count: 5 } });
  expect(fixture.api.updated).toHaveLength(5);
  // 805 tickets, 5 of them read twice (before and after the change): every version is a row
  expect(out.rowsFetched).toBe(expected.rows + 5);
  expect(out.rowsLoaded + out.rowsQuarantined).toBe(out.rowsFetched);
  expect(latest.rows).toBe(expected.rows);
  // the API's records now, as a file: the same as staging's newest versions
  const now = await ticketsWith({});
  expect(now.latest).toEqual(latest);
  expect(latest).not.toEqual(await latestOfFile());
});

async function latestOfFile() {
  const warehouse = await freshWarehouse();
  try {
    const { loadEntity } = await import('../../../../sources/load/load-entity.ts');
    const { contractOf } = await import('./api.ts');
    await loadEntity(warehouse, { contract: contractOf('crm.tickets'), path: `${fixture.dataDir}/crm/tickets.csv`, loadId: 'files' });
    return await latestChecksum(warehouse, 'crm.tickets');
  } finally {
    warehouse.close();
  }
}

it('a required field renamed by the API fails the entity, naming the field and its new name', async () => {
  await expect(ticketsWith({ rename: { from: 'priority', to: 'priority_level' } })).rejects.toThrow(
    /crm\.tickets \(http:\/\/127\.0\.0\.1:\d+\/api\/v2\/incremental\/tickets\/cursor\.json\): the records no longer have priority, a required field: none of the 100 records of page 1 has it; they have field\(s\) the settings do not map: priority_level \(renamed\?\)\. Map it under sources\.crm\.tickets\.fields\.priority/,
  );
});

it('a new field is kept as an extra column and reported', async () => {
  const warehouse = await freshWarehouse();
  Object.assign(fixture.api.faults, { addField: { name: 'satisfaction_probability', value: 0.8 } });
  try {
    const progress: string[] = [];
    const out = await extract(warehouse, tickets(), 'crm.tickets', 'drift', progress);
    expect(out.extraColumns).toEqual(['satisfaction_probability']);
    expect(progress.some((m) => /fields the settings do not map, kept as extra columns: satisfaction_probability/.test(m))).toBe(true);
    const kept = await warehouse.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM raw.crm_tickets WHERE extra_columns->>'satisfaction_probability' = '0.8'`);
    expect(kept.n).toBe(expected.rows);
    const log = await warehouse.one<{ extra_columns: string[] }>(`SELECT extra_columns FROM meta.load_log`);
    expect(log.extra_columns).toEqual(['satisfaction_probability']);
  } finally {
    warehouse.close();
  }
});

it('a 4xx other than 429 is fatal at once, with the API’s message', async () => {
  const started = fixture.api.requests;
  await expect(
    ticketsWith({}, { request: { path: '/api/v2/incremental/tickets/missing.json', params: {} } }),
  ).rejects.toThrow(/HTTP 404 Not Found: InvalidEndpoint; no route GET \/api\/v2\/incremental\/tickets\/missing\.json/);
  expect(fixture.api.requests - started).toBe(1); // not retried
});

it('a wrong token is refused with the API’s message, and the token appears nowhere', async () => {
  const warehouse = await freshWarehouse();
  try {
    process.env.CRM_API_WRONG = 'wrong-token-5551';
    const sources = tickets({ auth: { type: 'bearer', token_env: 'CRM_API_WRONG' } });
    const error = await extract(warehouse, sources, 'crm.tickets', 'auth').catch((e: Error) => e);
    expect(String(error)).toMatch(/HTTP 401 Unauthorized: Couldn't authenticate you — check the credentials/);
    expect(String((error as Error).stack)).not.toContain('wrong-token-5551');
    const log = await warehouse.one<{ error: string }>(`SELECT error FROM meta.load_log`);
    expect(log.error).toMatch(/401/);
    expect(log.error).not.toContain('wrong-token-5551');
  } finally {
    warehouse.close();
  }
});

it('no response within the timeout, again and again: fails once the retries are spent, and says so', async () => {
  await expect(ticketsWith({ slowMs: 400 }, { timeout: 0.1, retries: 2 })).rejects.toThrow(/no response within the timeout \(after the retries\)/);
});

it('HubSpot search: thousands of orders read without any query paging past the search cap', async () => {
  const capped = await startEmulator({ dataDir: fixture.dataDir, token: TOKEN, searchCap: 500 });
  const warehouse = await freshWarehouse();
  try {
    const out = await extract(warehouse, { 'crm.orders': apiSource(capped.url, 'crm.orders') }, 'crm.orders', 'cap');
    const files = await fileChecksum(fixture.dataDir, 'crm.orders');
    expect(files.rows).toBeGreaterThan(2000);
    expect(await rawChecksum(warehouse, tableOf('crm.orders'), columnsOf('crm.orders'))).toEqual(files);
    expect(out.rowsFetched).toBe(files.rows);
  } finally {
    warehouse.close();
    await capped.close();
  }
});
