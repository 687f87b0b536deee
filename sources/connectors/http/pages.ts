/**
 * The paginators: how the next page is asked for, and how the API says there is none. Each
 * page comes with the position after it (null after the last), a small JSON value the extract
 * commits with the page, so a retried read asks for exactly the page after it.
 *
 * | type   | next page                                   | last page                          |
 * |--------|---------------------------------------------|------------------------------------|
 * | cursor | `param=<cursor_path of the response>`       | end_path true / more_path false / no cursor |
 * | after  | `param=<after_path>` (HubSpot paging.next)   | no after                           |
 * | link   | the Link header's rel="next" URL             | no such link                       |
 * | offset | `offset_param += limit`                      | fewer than limit records           |
 * | page   | `page_param += 1`                            | no records (or fewer than size)    |
 * | search | POST, keyset on the cursor field (below)     | fewer than limit records           |
 *
 * The search paginator (HubSpot CRM search's shape) never pages deep: each query asks for the
 * records with cursor field ≥ the last one read and < the read's start time, sorted by it, so
 * no query reaches the 10,000-result cap, however many records changed. Only records sharing
 * one value of the cursor field are paged through with `after`, and more than max_results of
 * them is an error, not a silent cut.
 */
import type { HttpSource, Paginator } from '../../../config/http-source.ts';
import { HttpFatalError, type HttpClient } from './client.ts';
import { compilePath, type Getter } from './records.ts';
import { formatTime, timeOf } from './times.ts';

export type Position =
  | { cursor: string }
  | { after: string }
  | { next: string }
  | { offset: number }
  | { page: number }
  | { lower: number; skip: number; until: number };

export interface Page {
  records: unknown[];
  /** where the read continues; null after the last page */
  next: Position | null;
  /** the request that gave the page (for messages) */
  url: string;
}

export interface PageRequest {
  /** continue from here; null: the first page */
  position: Position | null;
  /** records changed at or after this time (epoch ms); null: all */
  changedSince: number | null;
}

export async function* pages(client: HttpClient, settings: HttpSource, request: PageRequest): AsyncGenerator<Page> {
  const records = compilePath(settings.records);
  const fetchPage = pageFetcher(client, settings, records, request.changedSince);
  let position = request.position;
  let first = position === null;
  while (first || position !== null) {
    first = false;
    const page = await fetchPage(position);
    yield page;
    position = page.next;
  }
}

type Fetch = (position: Position | null) => Promise<Page>;

function pageFetcher(client: HttpClient, settings: HttpSource, recordsAt: Getter, changedSince: number | null): Fetch {
  const paginator: Paginator = settings.paginator;
  const { path, params } = settings.request;
  const incremental = settings.incremental;
  // The first request asks for what changed since the mark; later ones carry the API's own position.
  const sinceParam = incremental?.param && changedSince !== null ? { [incremental.param]: formatTime(changedSince, incremental.format) } : {};
  const list = (body: unknown, url: string): unknown[] => {
    const found = recordsAt(body);
    if (!Array.isArray(found)) {
      const keys = body && typeof body === 'object' ? Object.keys(body).join(', ') : typeof body;
      throw new HttpFatalError(`${url.split('?')[0]}: the response has no array at ${settings.records}; it has: ${keys}`, null);
    }
    return found;
  };

  switch (paginator.type) {
    case 'cursor': {
      const cursorAt = compilePath(paginator.cursor_path);
      const endAt = paginator.end_path ? compilePath(paginator.end_path) : null;
      const moreAt = paginator.more_path ? compilePath(paginator.more_path) : null;
      return async (position) => {
        const sent = position && 'cursor' in position ? position.cursor : null;
        const response = await client.get(path, sent === null ? { ...params, ...sinceParam } : { ...params, [paginator.param]: sent });
        const found = list(response.body, response.url);
        const cursor = cursorAt(response.body);
        const ended = endAt ? endAt(response.body) === true : moreAt ? moreAt(response.body) !== true : found.length === 0;
        if (ended || typeof cursor !== 'string' || cursor === '') return { records: found, next: null, url: response.url };
        // The cursor it was sent back again: the connector skips a repeated page, and stops if the API keeps repeating it.
        return { records: found, next: { cursor }, url: response.url };
      };
    }
    case 'after': {
      const afterAt = compilePath(paginator.after_path);
      return async (position) => {
        const after = position && 'after' in position ? { [paginator.param]: position.after } : {};
        const response = await client.get(path, { ...params, ...sinceParam, ...after });
        const next = afterAt(response.body);
        const found = list(response.body, response.url);
        return { records: found, next: next === undefined || next === null || next === '' ? null : { after: String(next) }, url: response.url };
      };
    }
    case 'link':
      return async (position) => {
        const response = position && 'next' in position ? await client.get(position.next) : await client.get(path, { ...params, ...sinceParam });
        const next = nextLink(response.headers.get('link'), response.url);
        return { records: list(response.body, response.url), next: next ? { next } : null, url: response.url };
      };
    case 'offset':
      return async (position) => {
        const offset = position && 'offset' in position ? position.offset : 0;
        const response = await client.get(path, { ...params, ...sinceParam, [paginator.offset_param]: offset, [paginator.limit_param]: paginator.limit });
        const found = list(response.body, response.url);
        return { records: found, next: found.length < paginator.limit ? null : { offset: offset + found.length }, url: response.url };
      };
    case 'page':
      return async (position) => {
        const page = position && 'page' in position ? position.page : paginator.first_page;
        const size = paginator.size_param ? { [paginator.size_param]: paginator.size } : {};
        const response = await client.get(path, { ...params, ...sinceParam, ...size, [paginator.page_param]: page });
        const found = list(response.body, response.url);
        const last = found.length === 0 || (paginator.size_param !== undefined && found.length < paginator.size);
        return { records: found, next: last ? null : { page: page + 1 }, url: response.url };
      };
    case 'search':
      return searchFetcher(client, settings, paginator, list, changedSince);
  }
}

function searchFetcher(
  client: HttpClient,
  settings: HttpSource,
  paginator: Extract<Paginator, { type: 'search' }>,
  list: (body: unknown, url: string) => unknown[],
  changedSince: number | null,
): Fetch {
  const incremental = settings.incremental!;
  const changedAt = compilePath(incremental.cursor_field);
  const started = Date.now();
  const value = (time: number) => formatTime(time, incremental.format);
  return async (position) => {
    const at = position && 'lower' in position ? position : { lower: changedSince ?? 0, skip: 0, until: started };
    const body = {
      ...settings.request.body,
      filterGroups: [
        {
          filters: [
            { propertyName: paginator.property, operator: 'GTE', value: value(at.lower) },
            { propertyName: paginator.property, operator: 'LT', value: value(at.until) },
          ],
        },
      ],
      sorts: [{ propertyName: paginator.property, direction: 'ASCENDING' }],
      limit: paginator.limit,
      ...(at.skip > 0 ? { after: String(at.skip) } : {}),
    };
    const response = await client.post(settings.request.path, body);
    const found = list(response.body, response.url);
    if (found.length < paginator.limit) return { records: found, next: null, url: response.url };
    const last = timeOf(changedAt(found.at(-1)), incremental.format);
    if (last === null) throw new HttpFatalError(`${settings.request.path}: a record has no ${incremental.cursor_field}, which the search pages by`, null);
    // Records sharing the last value are skipped by count on the next query (they sort together).
    const tied = found.filter((r) => timeOf(changedAt(r), incremental.format) === last).length;
    const skip = last === at.lower ? at.skip + found.length : tied;
    if (skip + paginator.limit > paginator.max_results) {
      throw new HttpFatalError(
        `${settings.request.path}: more than ${paginator.max_results} records share ${incremental.cursor_field} = ${new Date(last).toISOString()}; the search cannot page past them`,
        null,
      );
    }
    return { records: found, next: { lower: last, skip, until: at.until }, url: response.url };
  };
}

/** The rel="next" URL of a Link header (RFC 8288), resolved against the request's URL. */
export function nextLink(header: string | null, base: string): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel="?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(match[2]!)) return new URL(match[1]!, base).toString();
  }
  return null;
}
