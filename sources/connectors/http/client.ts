/**
 * The HTTP client of the connector, on ky (fetch with retries that honour Retry-After, backoff
 * limits and jitter, so none of that is hand-written here):
 * - every request carries the auth header and waits its turn under max_requests_per_second;
 * - 429 waits what Retry-After says; 5xx, timeouts, dropped connections and bodies cut short
 *   are retried with exponential backoff capped at max_backoff, with jitter;
 * - any other 4xx is fatal at once, with the API's own message (a retry will not cure it);
 * - a body is read whole inside the retry, so a connection dropped mid-page is retried too.
 * Secrets never reach a message: every error goes through `redact`.
 */
import ky, { HTTPError, TimeoutError } from 'ky';
import type { HttpSource } from '../../../config/http-source.ts';
import { redact, SourceError } from '../secrets.ts';

/** An answer of the API that a retry will not change (a 4xx other than 429, or a body that is not JSON). */
export class HttpFatalError extends Error {
  override name = 'HttpFatalError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export interface Credentials {
  /** headers every request carries */
  headers: Record<string, string>;
  /** values to remove from every message */
  secrets: string[];
}

export interface JsonResponse {
  body: unknown;
  headers: Headers;
  url: string;
}

export interface HttpClient {
  get(pathOrUrl: string, params?: Record<string, string | number | boolean>): Promise<JsonResponse>;
  post(path: string, body: unknown): Promise<JsonResponse>;
}

/** First retry after ~0.5 s, doubling up to max_backoff. */
const BASE_DELAY_MS = 500;
/** A Retry-After longer than this is not waited for in full (the run would stall). */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

export function httpClient(
  settings: Pick<HttpSource, 'base_url' | 'timeout' | 'max_requests_per_second' | 'retries' | 'max_backoff'>,
  credentials: Credentials,
  onRetry?: (message: string) => void,
): HttpClient {
  const spacingMs = 1000 / settings.max_requests_per_second;
  let nextSlot = 0;
  const maxBackoffMs = settings.max_backoff * 1000;
  const api = ky.create({
    headers: { accept: 'application/json', ...credentials.headers },
    timeout: settings.timeout * 1000,
    throwHttpErrors: true,
    retry: {
      limit: settings.retries,
      methods: ['get', 'post'],
      statusCodes: [408, 429, 500, 502, 503, 504],
      afterStatusCodes: [429, 503],
      maxRetryAfter: MAX_RETRY_AFTER_MS,
      retryOnTimeout: true,
      delay: (attempt) => Math.min(BASE_DELAY_MS * 2 ** (attempt - 1), maxBackoffMs),
      // "equal jitter": half the delay fixed, half random, so clients spread out but never retry at once
      jitter: (delay) => delay / 2 + Math.random() * (delay / 2),
      backoffLimit: maxBackoffMs,
    },
    hooks: {
      beforeRequest: [
        async () => {
          const now = Date.now();
          const wait = nextSlot - now;
          nextSlot = Math.max(now, nextSlot) + spacingMs;
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        },
      ],
      afterResponse: [
        // Read the body here, inside ky's retry: a connection dropped mid-body is retried like
        // a dropped connection, and the page handed on is whole.
        async (_request, _options, response) => {
          let text: string;
          try {
            text = await response.text();
          } catch {
            return ky.retry();
          }
          return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
        },
      ],
      beforeRetry: [
        ({ error, retryCount }) => {
          onRetry?.(redact(`retry ${retryCount}/${settings.retries} after ${describe(error)}`, credentials.secrets));
        },
      ],
    },
  });

  async function send(method: 'get' | 'post', pathOrUrl: string, init: { searchParams?: Record<string, string | number | boolean>; json?: unknown }): Promise<JsonResponse> {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : new URL(pathOrUrl.replace(/^\//, ''), withSlash(settings.base_url)).toString();
    let response: Response;
    try {
      response = await api(url, { method, ...init });
    } catch (error) {
      throw await clientError(error, url, credentials.secrets);
    }
    const text = await response.text();
    try {
      return { body: JSON.parse(text) as unknown, headers: response.headers, url: response.url || url };
    } catch {
      throw new HttpFatalError(redact(`${shortUrl(url)}: the response is not JSON: ${text.slice(0, 200)}`, credentials.secrets), response.status);
    }
  }

  return {
    get: (pathOrUrl, params) => send('get', pathOrUrl, params ? { searchParams: params } : {}),
    post: (path, body) => send('post', path, { json: body }),
  };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The URL without its query (which may carry a cursor hundreds of characters long). */
function shortUrl(url: string): string {
  return url.split('?')[0]!;
}

function describe(error: Error): string {
  if (error instanceof HTTPError) {
    const after = error.response.headers.get('retry-after');
    return `HTTP ${error.response.status}${after ? ` (Retry-After ${after})` : ''}`;
  }
  if (error instanceof TimeoutError) return 'a timeout';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

/** A failed request as the connector reports it: fatal with the API's message, or retryable once the retries ran out. */
async function clientError(error: unknown, url: string, secrets: readonly string[]): Promise<Error> {
  const where = shortUrl(url);
  if (error instanceof HTTPError) {
    const status = error.response.status;
    const message = apiMessage(await error.response.text().catch(() => ''));
    const text = redact(`${where}: HTTP ${status} ${error.response.statusText}${message ? `: ${message}` : ''}`, secrets);
    // 429 and 5xx that outlasted the retries: the API is down or throttling; a later attempt may pass.
    if (status === 429 || status >= 500 || status === 408) return new SourceError(`${text} (after the retries)`);
    if (status === 401 || status === 403) return new HttpFatalError(`${text} — check the credentials and their permissions`, status);
    return new HttpFatalError(text, status);
  }
  if (error instanceof TimeoutError) return new SourceError(redact(`${where}: no response within the timeout (after the retries)`, secrets));
  return new SourceError(redact(`${where}: ${describe(error as Error)} (after the retries)`, secrets));
}

/** The human part of an error body: { error, message, description, errors: [...] } or its first line. */
function apiMessage(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const parts = [body.error, body.message, body.description, body.detail]
      .filter((p) => typeof p === 'string' && p.length > 0)
      .map(String);
    if (Array.isArray(body.errors)) parts.push(...body.errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))));
    if (parts.length > 0) return parts.join('; ').slice(0, 500);
  } catch {
    // not JSON: the text itself
  }
  return text.split('\n')[0]!.slice(0, 300);
}
