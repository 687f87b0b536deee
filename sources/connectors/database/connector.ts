/**
 * The database connector: one entity from one table of a PostgreSQL or MySQL/MariaDB server,
 * read through kysely in a single read-only REPEATABLE READ snapshot, streamed in chunks.
 *
 * - Columns are mapped onto the contract (contract column → database column, same name when
 *   not listed); identifiers are validated by the configuration and quoted by kysely, values
 *   are always bound parameters.
 * - Incremental (`incremental.updated_at`): rows with updated_at ≥ mark − safety_lag, ordered by
 *   (updated_at, key); the mark is the (updated_at, key) of the last row read. Without it, the
 *   whole table in key order. Either way the order makes a cursor to resume after.
 * - The rows the read will deliver are counted first in the same snapshot, so the extract can
 *   prove it got all of them.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DatabaseSource } from '../../../config/sources.ts';
import type { EntityContract } from '../../contract.ts';
import { columnSpecs, type ColumnSpec } from '../../load/checks.ts';
import { LoadError } from '../../load/load-entity.ts';
import type { CheckResult, Chunk, Connector, Cursor, ReadPlan, ReadRequest } from '../connector.ts';
import { redact, redactedError } from '../secrets.ts';
import { dialects, type Dialect, type SourceDatabase } from './dialects.ts';
import { deliveredValue, minusSeconds } from './values.ts';

interface MappedColumn {
  spec: ColumnSpec;
  /** the column's name in the database */
  source: string;
}

/** The database cursor: the last row's updated_at (server text, absent for full reads) and key values. */
interface DbCursor extends Cursor {
  updated_at: string | null;
  key: Array<string | number | boolean | null>;
}

const CURSOR_AT = '__cursor_updated_at';
const cursorKey = (i: number) => `__cursor_key_${i}`;

export function databaseConnector(contract: EntityContract, settings: DatabaseSource, password: string | undefined): Connector {
  return new DatabaseConnector(contract, settings, password);
}

class DatabaseConnector implements Connector {
  readonly target: string;
  private readonly dialect: Dialect;
  private readonly db: Kysely<SourceDatabase>;
  private readonly schema: string | null;
  private readonly table: string;
  private readonly mapped: MappedColumn[];
  private readonly keyColumns: string[];
  private readonly secrets: string[];
  /** set while a read runs: fails it when its connection is dropped */
  private lost: ((error: Error) => void) | null = null;

  constructor(
    readonly contract: EntityContract,
    private readonly settings: DatabaseSource,
    password: string | undefined,
  ) {
    this.dialect = dialects[settings.dialect];
    this.secrets = password ? [password] : [];
    const [schema, table] = settings.table.includes('.') ? settings.table.split('.') : [null, settings.table];
    this.schema = schema ?? null;
    this.table = table!;
    this.target = `${settings.dialect}://${settings.user}@${settings.host}:${settings.port ?? this.dialect.defaultPort}/${settings.database}/${settings.table}`;
    this.mapped = columnSpecs(contract).map((spec) => ({ spec, source: settings.columns[spec.name] ?? spec.name }));
    const key = settings.incremental?.key;
    this.keyColumns = key ? (Array.isArray(key) ? key : [key]) : contract.key.map((k) => this.sourceOf(k));
    this.db = this.dialect.open(settings, password, (error) => this.lost?.(error));
  }

  private sourceOf(contractColumn: string): string {
    return this.mapped.find((m) => m.spec.name === contractColumn)!.source;
  }

  private from(db: Kysely<SourceDatabase>) {
    return (this.schema ? db.withSchema(this.schema) : db).selectFrom(this.table);
  }

  async check(): Promise<CheckResult> {
    const result: CheckResult = { connected: false, found: [], missing: [], missingOptional: [], approxRows: null, error: null };
    try {
      const columns = await this.dialect.columns(this.db, this.schema, this.table);
      result.connected = true;
      if (columns.length === 0) {
        result.error = `table ${this.settings.table} not found (or not visible to ${this.settings.user})`;
        return result;
      }
      const split = this.splitColumns(columns.map((c) => c.name));
      result.found = split.found.map((m) => m.spec.name);
      result.missing = split.missingRequired;
      result.missingOptional = split.missingOptional;
      // Reading privilege: the very select the extract makes, without rows.
      await this.from(this.db).select(this.selections(split.found)).limit(0).execute();
      result.approxRows = await this.dialect.approxRows(this.db, this.schema, this.table).catch(() => null);
    } catch (error) {
      result.error = redact(firstLine((error as Error).message || String(error)), this.secrets);
    }
    return result;
  }

  /** The mapped columns the table has; required ones it lacks; nullable ones it lacks (delivered as absent). */
  private splitColumns(present: string[]) {
    const has = (name: string) => present.some((p) => this.dialect.sameColumn(p, name));
    const found = this.mapped.filter((m) => has(m.source));
    const lacking = this.mapped.filter((m) => !has(m.source));
    const label = (m: MappedColumn) => (m.source === m.spec.name ? m.spec.name : `${m.spec.name} (${m.source})`);
    const missingRequired = lacking.filter((m) => !m.spec.nullable).map(label);
    const incremental = this.settings.incremental;
    for (const column of [...(incremental ? [incremental.updated_at] : []), ...this.keyColumns]) {
      if (!has(column)) missingRequired.push(`${column} (${incremental?.updated_at === column ? 'incremental.updated_at' : 'key'})`);
    }
    return { found, missingRequired: [...new Set(missingRequired)], missingOptional: lacking.filter((m) => m.spec.nullable).map(label) };
  }

  private selections(found: MappedColumn[]) {
    const incremental = this.settings.incremental;
    return [
      ...found.map((m) => sql.ref(m.source).as(m.spec.name)),
      ...(incremental ? [sql.ref(incremental.updated_at).as(CURSOR_AT)] : []),
      ...this.keyColumns.map((k, i) => sql.ref(k).as(cursorKey(i))),
    ];
  }

  /** The order of the read, which is also the cursor: (updated_at, key…) or (key…). */
  private orderColumns(): string[] {
    const incremental = this.settings.incremental;
    return [...(incremental ? [incremental.updated_at] : []), ...this.keyColumns];
  }

  private tuple(cursor: DbCursor): unknown[] {
    return [...(this.settings.incremental ? [cursor.updated_at] : []), ...cursor.key];
  }

  private predicate(request: ReadRequest): RawBuilder<unknown>[] {
    const conditions: RawBuilder<unknown>[] = [];
    const after = (values: unknown[]) => {
      const columns = this.orderColumns().map((c) => sql.ref(c));
      return sql`(${sql.join(columns)}) > (${sql.join(values)})`;
    };
    const incremental = this.settings.incremental;
    if (request.window) {
      if (!this.contract.watermark) throw new Error(`${name(this.contract)} has no watermark: a backfill window does not apply`);
      const column = sql.ref(this.sourceOf(this.contract.watermark));
      conditions.push(sql`${column} >= ${request.window.from}`, sql`${column} < ${request.window.to}`);
    } else if (incremental && request.since) {
      const since = request.since as DbCursor;
      if (incremental.safety_lag > 0 && since.updated_at !== null) {
        conditions.push(sql`${sql.ref(incremental.updated_at)} >= ${minusSeconds(since.updated_at, incremental.safety_lag)}`);
      } else {
        conditions.push(after(this.tuple(since)));
      }
    }
    if (request.resumeAfter) conditions.push(after(this.tuple(request.resumeAfter as DbCursor)));
    return conditions;
  }

  async read(request: ReadRequest): Promise<ReadPlan> {
    // Every wait of the read races the connection being dropped (see Dialect.open).
    let dropped!: (error: Error) => void;
    const connectionLost = new Promise<never>((_, reject) => (dropped = reject));
    connectionLost.catch(() => undefined);
    this.lost = (error) => dropped(new Error(`the connection was lost: ${error.message}`));
    const guard = <T>(work: Promise<T>) => Promise.race([work, connectionLost]);
    const held = await guard(holdConnection(this.db)).catch((error: unknown) => {
      this.lost = null;
      throw redactedError(error, this.secrets, `${this.target}: cannot connect: `);
    });
    const fail = async (error: unknown): Promise<never> => {
      this.lost = null;
      // The connection goes back to the pool: with no transaction left open on it.
      await settle(sql`ROLLBACK`.execute(held.db));
      await settle(held.release());
      if (error instanceof LoadError) throw error;
      throw redactedError(error, this.secrets, `${this.target}: `);
    };
    let found: MappedColumn[];
    let expectedRows: number;
    let conditions: RawBuilder<unknown>[];
    try {
      for (const statement of this.dialect.beginSnapshot) await guard(statement.execute(held.db));
      const columns = await guard(this.dialect.columns(held.db, this.schema, this.table));
      if (columns.length === 0) throw new LoadError(name(this.contract), this.target, `table ${this.settings.table} not found (or not visible to ${this.settings.user})`);
      const split = this.splitColumns(columns.map((c) => c.name));
      if (split.missingRequired.length > 0) {
        throw new LoadError(name(this.contract), this.target, `the table lacks required column(s) ${split.missingRequired.join(', ')}; it has: ${columns.map((c) => c.name).join(', ')}`);
      }
      found = split.found;
      const table = this.schema ? sql.table(`${this.schema}.${this.table}`) : sql.table(this.table);
      // The read's order is its cursor: a row with no updated_at or key has no place in it (a
      // resumed or incremental read could pass it by unseen), so such rows stop the extract.
      const unordered = sql.join(this.orderColumns().map((c) => sql`${sql.ref(c)} IS NULL`), sql` OR `);
      const nulls = await guard(sql<{ n: string | number }>`SELECT count(*) AS n FROM ${table} WHERE ${unordered}`.execute(held.db));
      if (Number(nulls.rows[0]!.n) > 0) {
        throw new LoadError(name(this.contract), this.target, `${nulls.rows[0]!.n} row(s) have no value in ${this.orderColumns().join(' or ')}, which order the read (its cursor): fill them or make the column(s) NOT NULL`);
      }
      conditions = this.predicate(request);
      const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
      const { rows } = await guard(sql<{ n: string | number }>`SELECT count(*) AS n FROM ${table} ${where}`.execute(held.db));
      expectedRows = Number(rows[0]!.n);
    } catch (error) {
      return fail(error);
    }

    const chunkRows = this.settings.chunk_rows;
    const incremental = this.settings.incremental;
    const keyCount = this.keyColumns.length;
    const secrets = this.secrets;
    const target = this.target;
    let query = this.from(held.db).select(this.selections(found));
    for (const condition of conditions) query = query.where(condition as RawBuilder<boolean>);
    for (const column of this.orderColumns()) query = query.orderBy(sql.ref(column));

    const stopListening = () => (this.lost = null);
    let started = false;
    async function* chunks(): AsyncGenerator<Chunk> {
      started = true;
      let committed = false;
      let broken = false;
      const stream = query.stream(chunkRows)[Symbol.asyncIterator]();
      try {
        let rows: Chunk['rows'] = [];
        let cursor: DbCursor | null = null;
        while (true) {
          const next = await guard(stream.next()).catch((error: unknown) => {
            broken = true;
            throw error;
          });
          if (next.done) break;
          const row = next.value;
          const delivered: Chunk['rows'][number] = {};
          for (const m of found) delivered[m.spec.name] = deliveredValue(row[m.spec.name], m.spec.sqlType);
          const key: DbCursor['key'] = [];
          for (let i = 0; i < keyCount; i++) key.push(cursorValue(row[cursorKey(i)]));
          cursor = { updated_at: incremental ? (cursorValue(row[CURSOR_AT]) as string | null) : null, key };
          rows.push(delivered);
          if (rows.length >= chunkRows) {
            yield { rows, cursor };
            rows = [];
          }
        }
        if (rows.length > 0) yield { rows, cursor };
        await guard(sql`COMMIT`.execute(held.db));
        committed = true;
      } catch (error) {
        broken = true;
        throw redactedError(error, secrets, `${target}: `);
      } finally {
        stopListening();
        // A stream stopped early (the consumer failed) is closed and rolled back; a broken one
        // is left as it is (its pending read never ends), and its connection with it: the
        // connector is closed after the extract, which ends the pool.
        if (!committed && !broken) {
          await settle(stream.return?.(undefined));
          await settle(sql`ROLLBACK`.execute(held.db));
        }
        await settle(held.release());
      }
    }

    // The first incremental read (no mark yet) reads the whole table: a snapshot, like a full read.
    const changesOnly = Boolean(incremental) && !request.window && request.since !== null;
    const abandon = async () => {
      if (started) return;
      started = true;
      stopListening();
      await settle(sql`ROLLBACK`.execute(held.db));
      await settle(held.release());
    };
    return { expectedRows, changesOnly, columns: found.map((m) => m.spec.name), chunks: chunks(), abandon };
  }

  async close(): Promise<void> {
    await this.db.destroy().catch(() => undefined);
  }
}

/** Keeps one pooled connection for the whole snapshot, until `release`. */
async function holdConnection(db: Kysely<SourceDatabase>): Promise<{ db: Kysely<SourceDatabase>; release(): Promise<void> }> {
  let letGo!: () => void;
  const released = new Promise<void>((resolve) => (letGo = resolve));
  return new Promise((resolve, reject) => {
    const done = db.connection().execute(async (connection) => {
      resolve({
        db: connection,
        release: async () => {
          letGo();
          await done;
        },
      });
      await released;
    });
    done.catch(reject);
  });
}

/** Waits for cleanup work, at most 5 s, ignoring its failure: a dead connection cannot hang the extract. */
async function settle(work: Promise<unknown> | undefined): Promise<void> {
  if (!work) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
  clearTimeout(timer);
}

function cursorValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function name(contract: EntityContract): string {
  return `${contract.source}.${contract.entity}`;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
