/**
 * A CRM and helpdesk API on loopback, serving a company's files (the reference company, or any
 * delivery folder) in two real APIs' shapes, with the faults real APIs have, on demand. It is
 * what `crm-eval run --example crm-api` extracts from, and what the connector's tests and the
 * HTTP benchmark talk to.
 *
 * | route                                              | shape                                         |
 * |----------------------------------------------------|-----------------------------------------------|
 * | GET  /api/v2/incremental/tickets/cursor.json       | Zendesk incremental export: start_time, cursor, end_of_stream |
 * | GET  /api/v2/satisfaction_ratings                  | Zendesk cursor paging: page[after], meta.has_more |
 * | POST /crm/v3/objects/{contacts,orders}/search      | HubSpot search: filterGroups, sorts, after; 400 past 10,000 |
 * | GET  /crm/v3/objects/{contacts,orders}             | HubSpot list: limit, after, paging.next.after |
 * | GET  /generic/{source}/{entity}?paging=link|offset|page | contract rows as they are, for the other paginators |
 *
 * Faults (`faults`, changeable while it runs; request numbers count data requests from 1):
 * slow responses, a burst of 429 with Retry-After, a 500, a connection dropped mid-body, a
 * page sent twice, records changed during the crawl, a field renamed or added.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { literalFilePattern } from '../../load/files.ts';
import { Warehouse, literal } from '../../../warehouse/warehouse.ts';
import { changedAt, hubspotContact, hubspotOrder, touch, zendeskRating, zendeskTicket, type ApiRecord } from './shapes.ts';

export interface Faults {
  /** every data response waits this long */
  slowMs?: number;
  /** requests at..at+count-1 are refused with 429 and Retry-After (counting only requests to `path`, when given) */
  tooManyRequests?: { at: number; count: number; retryAfterSeconds: number; path?: string };
  /** request `at` fails with 500 */
  serverError?: { at: number };
  /** request `at` sends its headers and half its body, then the connection is cut */
  dropConnection?: { at: number };
  /** request `at` is answered with the response before it, again */
  repeatPage?: { at: number };
  /** before request `at`, `count` records already served are changed (priority or segment) and touched */
  updateDuring?: { at: number; count: number };
  /** this record field (a top-level field, or a HubSpot property) is served under another name */
  rename?: { from: string; to: string };
  /** a new field on every record */
  addField?: { name: string; value: unknown };
}

type Row = Record<string, string | null>;
export type CollectionName = 'tickets' | 'ratings' | 'contacts' | 'orders';

interface Collection {
  /** sorted by (change time, id): the order the incremental APIs serve */
  records: ApiRecord[];
  id(record: ApiRecord): string;
}

export interface Emulator {
  url: string;
  faults: Faults;
  /** data requests served so far */
  readonly requests: number;
  /** the records as the API holds them now (after any updates), for comparison */
  collection(name: CollectionName): ApiRecord[];
  /** adds or replaces a record (by id), as a write to the API would */
  upsert(name: CollectionName, record: ApiRecord): void;
  /** the changes made by `updateDuring` faults: collection and id */
  readonly updated: Array<{ collection: string; id: string }>;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  /** the company's files: crm/tickets.csv, crm/surveys.csv, crm/customers.csv, crm/orders.csv */
  dataDir: string;
  /** requests must carry `Authorization: Bearer <token>` */
  token?: string;
  port?: number;
  /** serve each ticket this many times under distinct ids (for the benchmark) */
  ticketCopies?: number;
  /** the deepest result a search may page to (HubSpot: 10,000; lower in tests) */
  searchCap?: number;
}


export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const rows = await readCompany(options.dataDir);
  const copies = Math.max(1, options.ticketCopies ?? 1);
  const tickets: ApiRecord[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const row of rows.tickets) tickets.push(zendeskTicket(copy === 0 ? row : { ...row, ticket_id: `${row.ticket_id}-${copy}` }));
  }
  const collections: Record<string, Collection> = {
    tickets: sorted({ records: tickets, id: (r) => String(r.id) }),
    ratings: sorted({ records: rows.surveys.map(zendeskRating), id: (r) => String(r.id) }),
    contacts: sorted({ records: rows.customers.map((r, i) => hubspotContact(r, i + 1)), id: (r) => String(r.id) }),
    orders: sorted({ records: rows.orders.map((r, i) => hubspotOrder(r, i + 1)), id: (r) => String(r.id) }),
  };
  const generic: Record<string, Row[]> = { 'crm/tickets': rows.tickets, 'crm/surveys': rows.surveys, 'crm/customers': rows.customers, 'crm/orders': rows.orders };
  const faults: Faults = {};
  const updated: Emulator['updated'] = [];
  const served = new Map<string, Set<string>>();
  let requests = 0;
  /** data requests per route, for faults aimed at one entity while others are read in parallel */
  const byPath = new Map<string, number>();
  let previous: { status: number; body: string } | null = null;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      return send(res, 401, { error: "Couldn't authenticate you" });
    }
    const body = req.method === 'POST' ? await readBody(req) : null;
    const n = ++requests;
    const onPath = (byPath.get(url.pathname) ?? 0) + 1;
    byPath.set(url.pathname, onPath);
    if (faults.slowMs) await new Promise((resolve) => setTimeout(resolve, faults.slowMs));
    const burst = faults.tooManyRequests;
    const counted = burst?.path ? (burst.path === url.pathname ? onPath : -1) : n;
    if (burst && counted >= burst.at && counted < burst.at + burst.count) {
      res.setHeader('retry-after', String(burst.retryAfterSeconds));
      return send(res, 429, { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' });
    }
    // Like some real APIs, the error echoes the request's credentials: the connector must not pass them on.
    if (faults.serverError?.at === n) return send(res, 500, { error: 'InternalError', description: `Something went wrong (request with ${req.headers.authorization})` });
    if (faults.updateDuring?.at === n) updateServed(collections, served, faults.updateDuring.count, updated);
    if (faults.repeatPage?.at === n && previous) return sendText(res, previous.status, previous.body, faults.dropConnection?.at === n);
    const answer = route(req.method ?? 'GET', url, body);
    const text = JSON.stringify(reshape(answer.body, faults));
    if (answer.status === 200) {
      previous = { status: answer.status, body: text };
      for (const [name, ids] of answer.served ?? []) {
        const set = served.get(name) ?? new Set<string>();
        for (const id of ids) set.add(id);
        served.set(name, set);
      }
    }
    if (answer.headers) for (const [k, v] of Object.entries(answer.headers)) res.setHeader(k, v);
    return sendText(res, answer.status, text, faults.dropConnection?.at === n);
  };

  interface Answer {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
    served?: Array<[string, string[]]>;
  }

  function route(method: string, url: URL, body: unknown): Answer {
    const q = url.searchParams;
    const path = url.pathname;
    if (method === 'GET' && path === '/api/v2/incremental/tickets/cursor.json') {
      return zendeskExport(collections.tickets!, 'tickets', 'tickets', q, Number(q.get('per_page') ?? 1000), 'export');
    }
    if (method === 'GET' && path === '/api/v2/satisfaction_ratings') {
      return zendeskExport(collections.ratings!, 'ratings', 'satisfaction_ratings', q, Number(q.get('page[size]') ?? 100), 'cursor');
    }
    const search = /^\/crm\/v3\/objects\/(contacts|orders)\/search$/.exec(path);
    if (method === 'POST' && search) return hubspotSearch(collections[search[1]!]!, search[1]!, body as SearchBody);
    const list = /^\/crm\/v3\/objects\/(contacts|orders)$/.exec(path);
    if (method === 'GET' && list) return hubspotList(collections[list[1]!]!, list[1]!, q);
    const flat = /^\/generic\/(crm\/[a-z_]+)$/.exec(path);
    if (method === 'GET' && flat && generic[flat[1]!]) return genericPage(generic[flat[1]!]!, url);
    return { status: 404, body: { error: 'InvalidEndpoint', description: `no route ${method} ${path}` } };
  }

  /** Zendesk's two cursor styles over records sorted by (updated_at, id): start_time first, then an opaque cursor. */
  function zendeskExport(collection: Collection, name: string, key: string, q: URLSearchParams, size: number, style: 'export' | 'cursor'): Answer {
    const cursor = q.get(style === 'export' ? 'cursor' : 'page[after]');
    let from: number;
    if (cursor) {
      const at = decodeCursor(cursor);
      if (!at) return { status: 400, body: { error: 'InvalidCursor', description: 'cursor is invalid' } };
      from = firstAfter(collection, at.t, at.id);
    } else {
      const start = Number(q.get('start_time') ?? 0) * 1000;
      from = firstAfter(collection, start - 1, '\uffff');
    }
    const page = collection.records.slice(from, from + size);
    const last = page.at(-1);
    const after = last ? encodeCursor(changedAt(last), collection.id(last)) : (cursor ?? encodeCursor(Date.now(), ''));
    const more = from + page.length < collection.records.length;
    const served: Answer['served'] = [[name, page.map(collection.id)]];
    if (style === 'export') {
      return { status: 200, body: { [key]: page, after_cursor: after, before_cursor: null, after_url: null, end_of_stream: !more, count: page.length }, served };
    }
    return { status: 200, body: { [key]: page, meta: { has_more: more, after_cursor: after, before_cursor: null }, links: { next: null, prev: null } }, served };
  }

  interface SearchBody {
    filterGroups?: Array<{ filters?: Array<{ propertyName: string; operator: string; value: string | number }> }>;
    sorts?: Array<{ propertyName: string; direction: string }>;
    properties?: string[];
    limit?: number;
    after?: string;
  }

  /** HubSpot's search: filters on hs_lastmodifieddate, sorted by it, `after` an offset that may not pass 10,000. */
  function hubspotSearch(collection: Collection, name: string, body: SearchBody): Answer {
    const limit = Math.min(body.limit ?? 10, 200);
    const after = Number(body.after ?? 0);
    if (after + limit > (options.searchCap ?? 10_000)) {
      return { status: 400, body: { status: 'error', message: 'There was a problem with the request.', category: 'VALIDATION_ERROR' } };
    }
    let found = collection.records;
    for (const filter of body.filterGroups?.[0]?.filters ?? []) {
      const value = Number(filter.value);
      const test: Record<string, (t: number) => boolean> = { GTE: (t) => t >= value, GT: (t) => t > value, LT: (t) => t < value, LTE: (t) => t <= value };
      const pass = test[filter.operator];
      if (filter.propertyName !== 'hs_lastmodifieddate' || !pass || Number.isNaN(value)) {
        return { status: 400, body: { status: 'error', message: `unsupported filter ${filter.propertyName} ${filter.operator} ${filter.value}`, category: 'VALIDATION_ERROR' } };
      }
      found = found.filter((r) => pass(changedAt(r)));
    }
    const page = found.slice(after, after + limit).map((r) => withProperties(r, body.properties));
    const next = after + page.length < found.length ? { next: { after: String(after + page.length) } } : undefined;
    return { status: 200, body: { total: found.length, results: page, ...(next ? { paging: next } : {}) }, served: [[name, page.map(collection.id)]] };
  }

  function hubspotList(collection: Collection, name: string, q: URLSearchParams): Answer {
    const limit = Math.min(Number(q.get('limit') ?? 10), 100);
    const after = Number(q.get('after') ?? 0);
    const properties = q.get('properties')?.split(',');
    const page = collection.records.slice(after, after + limit).map((r) => withProperties(r, properties));
    const next = after + page.length < collection.records.length ? { paging: { next: { after: String(after + page.length), link: null } } } : {};
    return { status: 200, body: { results: page, ...next }, served: [[name, page.map(collection.id)]] };
  }

  /** Flat contract rows with a Link header, an offset or a page number. */
  function genericPage(all: Row[], url: URL): Answer {
    const q = url.searchParams;
    const paging = q.get('paging') ?? 'offset';
    if (paging === 'page') {
      const size = Number(q.get('per_page') ?? 100);
      const page = Number(q.get('page') ?? 1);
      return { status: 200, body: { data: all.slice((page - 1) * size, page * size) } };
    }
    const limit = Number(q.get('limit') ?? 100);
    const offset = Number(q.get('offset') ?? 0);
    const data = all.slice(offset, offset + limit);
    if (paging === 'link') {
      const headers: Record<string, string> = {};
      if (offset + limit < all.length) {
        const next = new URL(url);
        next.searchParams.set('offset', String(offset + limit));
        headers.link = `<${next.pathname}${next.search}>; rel="next", <${url.pathname}?paging=link>; rel="first"`;
      }
      return { status: 200, body: { data }, headers };
    }
    return { status: 200, body: { data, total: all.length } };
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { error: 'EmulatorError', description: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    get requests() {
      return requests;
    },
    collection: (name) => collections[name]!.records,
    upsert(name, record) {
      const collection = collections[name]!;
      const at = collection.records.findIndex((r) => collection.id(r) === collection.id(record));
      if (at >= 0) collection.records[at] = record;
      else collection.records.push(record);
      sorted(collection);
    },
    updated,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The CSV files of the four entities, every value as text (as the contract reads them). */
async function readCompany(dataDir: string): Promise<Record<'tickets' | 'surveys' | 'customers' | 'orders', Row[]>> {
  const warehouse = await Warehouse.open(':memory:');
  try {
    const read = (entity: string) =>
      warehouse.all<Row>(`SELECT * FROM read_csv(${literal(literalFilePattern(join(dataDir, 'crm', `${entity}.csv`)))}, header = true, all_varchar = true)`);
    return { tickets: await read('tickets'), surveys: await read('surveys'), customers: await read('customers'), orders: await read('orders') };
  } finally {
    warehouse.close();
  }
}

function sorted(collection: Collection): Collection {
  collection.records.sort((a, b) => changedAt(a) - changedAt(b) || compare(collection.id(a), collection.id(b)));
  return collection;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The index of the first record after (t, id) in the collection's order. */
function firstAfter(collection: Collection, t: number, id: string): number {
  let low = 0;
  let high = collection.records.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const r = collection.records[mid]!;
    const rt = changedAt(r);
    if (rt < t || (rt === t && compare(collection.id(r), id) <= 0)) low = mid + 1;
    else high = mid;
  }
  return low;
}

function encodeCursor(t: number, id: string): string {
  return Buffer.from(JSON.stringify({ t, id })).toString('base64url');
}

function decodeCursor(cursor: string): { t: number; id: string } | null {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t: number; id: string };
    return typeof value.t === 'number' && typeof value.id === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** A HubSpot object with only the properties asked for. */
function withProperties(record: ApiRecord, names: string[] | undefined): ApiRecord {
  if (!names) return record;
  const properties = record.properties as Record<string, unknown>;
  return { ...record, properties: Object.fromEntries(names.map((n) => [n, properties[n] ?? null])) };
}

/** Changes records already served: agents kept working while the crawl ran. */
function updateServed(collections: Record<string, Collection>, served: Map<string, Set<string>>, count: number, updated: Emulator['updated']): void {
  const now = new Date();
  for (const [name, ids] of served) {
    const collection = collections[name]!;
    const changing = collection.records.filter((r) => ids.has(collection.id(r))).slice(0, count);
    for (const record of changing) {
      touch(record, now);
      if (record.properties) (record.properties as Record<string, string>).segment = 'vip';
      else if ('priority' in record) record.priority = record.priority === 'urgent' ? 'low' : 'urgent';
      updated.push({ collection: name, id: collection.id(record) });
    }
    sorted(collection);
    if (changing.length > 0) return;
  }
}

/** Applies the rename and added-field faults to every record of a response. */
function reshape(body: unknown, faults: Faults): unknown {
  if (!faults.rename && !faults.addField) return body;
  const fix = (record: ApiRecord): ApiRecord => {
    const out: ApiRecord = { ...record };
    const properties = out.properties ? { ...(out.properties as Record<string, unknown>) } : null;
    if (faults.rename) {
      const target = properties && faults.rename.from in properties ? properties : out;
      if (faults.rename.from in target) {
        target[faults.rename.to] = target[faults.rename.from];
        delete target[faults.rename.from];
      }
    }
    if (properties) out.properties = properties;
    if (faults.addField) out[faults.addField.name] = faults.addField.value;
    return out;
  };
  const b = body as Record<string, unknown>;
  const out: Record<string, unknown> = { ...b };
  for (const key of ['tickets', 'satisfaction_ratings', 'results', 'data']) if (Array.isArray(b[key])) out[key] = (b[key] as ApiRecord[]).map(fix);
  return out;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body), false);
}

function sendText(res: ServerResponse, status: number, text: string, drop: boolean): void {
  const bytes = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(bytes.length) });
  if (!drop) {
    res.end(bytes);
    return;
  }
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : null;
}
