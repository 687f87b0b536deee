/**
 * The HTTP connector: one entity from one API resource, page by page (pages.ts), each record
 * mapped onto the contract (records.ts) and handed on as one chunk per page with the cursor
 * after it: the paginator's position and the highest cursor-field value read so far (the mark).
 *
 * - Incremental: a read after a previous load asks for records changed since its mark minus the
 *   lookback; rows read twice near the boundary are merged by key in staging, never doubled.
 * - Schema drift: a field no mapping reads is kept as an extra column (the load log reports it);
 *   a required field missing from every record of a page fails the entity, naming it.
 * - A page that repeats the one before it (same records, in order) is skipped, not loaded twice.
 * - A backfill window reads the whole resource and keeps the rows whose watermark is in it.
 */
import { createHash } from 'node:crypto';
import type { HttpSource } from '../../../config/http-source.ts';
import type { EntityContract } from '../../contract.ts';
import { columnSpecs } from '../../load/checks.ts';
import { LoadError } from '../../load/load-entity.ts';
import type { CheckResult, Chunk, Connector, Cursor, ReadPlan, ReadRequest } from '../connector.ts';
import { redact, SourceError } from '../secrets.ts';
import { HttpFatalError, httpClient, type Credentials, type HttpClient } from './client.ts';
import { pages, type Page, type Position } from './pages.ts';
import { compilePath, deliveredRow, mappedFields, topField, unmappedFields, type MappedField } from './records.ts';
import { timeOf } from './times.ts';

/** Where an HTTP read stands: the paginator's position after the last page, and the mark. */
interface HttpCursor extends Cursor {
  position: string | null;
  /** the highest cursor-field value read so far (ISO), null for a resource without incremental */
  high_water: string | null;
}

/** A page sent again is skipped; sent again this many times in a row, the API is stuck. */
const MAX_REPEATS = 3;

export function httpConnector(contract: EntityContract, settings: HttpSource, credentials: Credentials, progress?: (message: string) => void): Connector {
  return new HttpConnector(contract, settings, credentials, progress);
}

class HttpConnector implements Connector {
  readonly target: string;
  private readonly fields: MappedField[];
  private readonly client: HttpClient;
  /** the record fields the mapping reads: any other is drift */
  private readonly used: Set<string>;

  constructor(
    readonly contract: EntityContract,
    private readonly settings: HttpSource,
    private readonly credentials: Credentials,
    private readonly progress?: (message: string) => void,
  ) {
    const url = new URL(settings.request.path.replace(/^\//, ''), settings.base_url.endsWith('/') ? settings.base_url : `${settings.base_url}/`);
    this.target = `${url.origin}${url.pathname}`;
    this.fields = mappedFields(columnSpecs(contract), settings.fields);
    this.used = new Set([
      ...this.fields.map((f) => topField(f.path)),
      ...(settings.incremental ? [topField(settings.incremental.cursor_field)] : []),
      ...settings.ignore_fields,
    ]);
    this.client = httpClient(settings, credentials, (message) => progress?.(`${this.name}: ${message}`));
  }

  private get name(): string {
    return `${this.contract.source}.${this.contract.entity}`;
  }

  async check(): Promise<CheckResult> {
    const result: CheckResult = { connected: false, found: [], missing: [], missingOptional: [], approxRows: null, error: null };
    try {
      const first = await pages(this.client, this.settings, { position: null, changedSince: null }).next();
      result.connected = true;
      const records = first.done ? [] : first.value.records;
      if (records.length === 0) {
        result.error = 'the first page has no records: the fields cannot be checked';
        return result;
      }
      for (const field of this.fields) {
        const present = records.some((r) => field.get(r) !== undefined);
        if (present) result.found.push(field.column);
        else (field.required ? result.missing : result.missingOptional).push(label(field));
      }
      const extras = [...new Set(records.flatMap((r) => unmappedFields(r, this.used)))];
      if (extras.length > 0) result.notes = [`fields not mapped, kept as extra columns: ${extras.join(', ')}`];
    } catch (error) {
      // reached the API, but a 401/403 is not "connected": it did not authenticate
      result.connected = error instanceof HttpFatalError && error.status !== 401 && error.status !== 403;
      result.error = redact((error as Error).message, this.credentials.secrets);
    }
    return result;
  }

  async read(request: ReadRequest): Promise<ReadPlan> {
    const incremental = this.settings.incremental;
    const since = request.window ? null : (request.since as HttpCursor | null);
    const mark = since?.high_water ? Date.parse(since.high_water) : null;
    const changedSince = incremental && mark !== null ? mark - incremental.lookback * 1000 : null;
    const resume = request.resumeAfter as HttpCursor | null;
    if (resume && resume.position === null) {
      // The interrupted read had delivered its last page.
      return { expectedRows: null, changesOnly: changedSince !== null, columns: this.columns([]), chunks: emptyChunks(), abandon: async () => undefined };
    }
    const position = resume?.position ? (JSON.parse(resume.position) as Position) : null;
    const reader = pages(this.client, this.settings, { position, changedSince });
    let first: Page | null;
    try {
      const next = await reader.next();
      first = next.done ? null : next.value;
    } catch (error) {
      throw this.failure(error);
    }
    const extras = first ? [...new Set(first.records.flatMap((r) => unmappedFields(r, this.used)))].sort() : [];
    if (extras.length > 0) this.progress?.(`${this.name}: the records have fields the settings do not map, kept as extra columns: ${extras.join(', ')}`);
    const columns = this.columns(extras);
    return {
      expectedRows: null,
      changesOnly: changedSince !== null,
      columns,
      chunks: this.chunks(first, reader, extras, resume?.high_water ?? since?.high_water ?? null, request.window),
      abandon: async () => {
        await reader.return(undefined);
      },
    };
  }

  private columns(extras: readonly string[]): string[] {
    return [...this.fields.map((f) => f.column), ...extras];
  }

  private async *chunks(first: Page | null, reader: AsyncGenerator<Page>, extras: string[], highWater: string | null, window?: { from: string; to: string }): AsyncGenerator<Chunk> {
    const changedAt = this.settings.incremental ? compilePath(this.settings.incremental.cursor_field) : null;
    const format = this.settings.incremental?.format ?? 'iso';
    const watermark = window && this.contract.watermark ? this.fields.find((f) => f.column === this.contract.watermark)! : null;
    const inWindow = (record: unknown) => {
      const at = timeOf(watermark!.get(record), 'iso');
      return at !== null && at >= Date.parse(window!.from) && at < Date.parse(window!.to);
    };
    let high = highWater ? Date.parse(highWater) : null;
    let previous: string | null = null;
    let repeats = 0;
    let number = 0;
    let page = first;
    try {
      while (page) {
        number++;
        this.checkFields(page, number);
        const signature = page.records.length > 0 ? createHash('sha1').update(JSON.stringify(page.records)).digest('hex') : null;
        const repeated = signature !== null && signature === previous;
        previous = signature;
        repeats = repeated ? repeats + 1 : 0;
        if (repeats > MAX_REPEATS) {
          throw new LoadError(this.name, this.target, `the API returned the same page ${repeats + 1} times in a row (page ${number}): stopping instead of reading it forever`);
        }
        if (repeated) this.progress?.(`${this.name}: page ${number} repeats the page before it (${page.records.length} records): skipped`);
        const rows: Chunk['rows'] = [];
        for (const record of repeated ? [] : page.records) {
          if (changedAt) {
            const at = timeOf(changedAt(record), format);
            if (at !== null && (high === null || at > high)) high = at;
          }
          if (watermark && !inWindow(record)) continue;
          rows.push(deliveredRow(record, this.fields, extras));
        }
        const cursor: HttpCursor = { position: page.next ? JSON.stringify(page.next) : null, high_water: high === null ? null : new Date(high).toISOString() };
        yield { rows, cursor };
        const next = await reader.next();
        page = next.done ? null : next.value;
      }
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** A required field no record of the page has: the API renamed or dropped it. */
  private checkFields(page: Page, number: number): void {
    if (page.records.length === 0) return;
    for (const field of this.fields) {
      if (!field.required || page.records.some((r) => field.get(r) !== undefined)) continue;
      const unmapped = [...new Set(page.records.flatMap((r) => unmappedFields(r, this.used)))];
      throw new LoadError(
        this.name,
        this.target,
        `the records no longer have ${label(field)}, a required field: none of the ${page.records.length} records of page ${number} has it` +
          (unmapped.length > 0 ? `; they have field(s) the settings do not map: ${unmapped.join(', ')} (renamed?)` : '') +
          `. Map it under sources.${this.name}.fields.${field.column}`,
      );
    }
  }

  /** 4xx and bodies that are not JSON are fatal (a LoadError, not retried); the rest stay retryable. */
  private failure(error: unknown): Error {
    if (error instanceof LoadError) return error;
    if (error instanceof HttpFatalError) return new LoadError(this.name, this.target, redact(error.message, this.credentials.secrets));
    if (error instanceof SourceError) return error;
    return new SourceError(redact(`${this.target}: ${(error as Error).message}`, this.credentials.secrets));
  }

  async close(): Promise<void> {
    // fetch keeps no connection that needs closing
  }
}

function label(field: MappedField): string {
  return field.path === field.column ? field.column : `${field.column} (path ${field.path})`;
}

async function* emptyChunks(): AsyncGenerator<Chunk> {
  // nothing left to read
}
