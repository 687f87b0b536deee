/**
 * The two server families and what differs between them: the kysely dialect and driver set-up
 * (text for dates, timestamps and decimals; UTC), how a read-only REPEATABLE READ snapshot is
 * opened, and where the catalog says which columns a table has and about how many rows.
 */
import { readFileSync } from 'node:fs';
import { Kysely, MysqlDialect, PostgresDialect, sql, type RawBuilder } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { createPool } from 'mysql2';
import type { DatabaseSource } from '../../../config/sources.ts';

/** Any table of the source database: rows are records of unknown values until mapped onto a contract. */
export type SourceDatabase = Record<string, Record<string, unknown>>;

export interface Dialect {
  name: 'postgres' | 'mysql';
  defaultPort: number;
  /**
   * A connection pool as kysely. `onLost` hears of a connection the server or the network
   * dropped: the drivers report that as an event, and a read waiting on that connection
   * (PostgreSQL's cursor) would otherwise wait forever.
   */
  open(settings: DatabaseSource, password: string | undefined, onLost: (error: Error) => void): Kysely<SourceDatabase>;
  /** statements that start the extract's snapshot on a held connection, in order */
  beginSnapshot: RawBuilder<unknown>[];
  /** name and type of every column of schema.table (current schema / database when schema is null) */
  columns(db: Kysely<SourceDatabase>, schema: string | null, table: string): Promise<Array<{ name: string; type: string }>>;
  /** the catalog's estimate of the table's rows (PostgreSQL counts a table never analysed), null when unknown */
  approxRows(db: Kysely<SourceDatabase>, schema: string | null, table: string): Promise<number | null>;
  /** column names compare case-insensitively on MySQL */
  sameColumn(a: string, b: string): boolean;
}

// Dates, timestamps and times as the server writes them (no JavaScript Date: it has no
// microseconds and would shift a date by the machine's zone); numeric and int8 already are text.
const TEXT_TYPES = new Set([1082 /* date */, 1083 /* time */, 1114 /* timestamp */, 1184 /* timestamptz */, 1266 /* timetz */]);
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    TEXT_TYPES.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

function tls(settings: DatabaseSource) {
  if (settings.ssl === false) return undefined;
  if (settings.ssl === true) return { rejectUnauthorized: true };
  return { rejectUnauthorized: settings.ssl.reject_unauthorized, ...(settings.ssl.ca_file ? { ca: readFileSync(settings.ssl.ca_file, 'utf8') } : {}) };
}

export const postgres: Dialect = {
  name: 'postgres',
  defaultPort: 5432,
  open(settings, password, onLost) {
    const pool = new pg.Pool({
      host: settings.host,
      port: settings.port ?? 5432,
      database: settings.database,
      user: settings.user,
      password,
      ssl: tls(settings),
      max: 2,
      connectionTimeoutMillis: 10_000,
      application_name: 'crm-eval',
      types: pgTypes,
    });
    // A dropped connection is an 'error' event of its client (in use) or of the pool (idle).
    pool.on('connect', (client) => client.on('error', onLost));
    pool.on('error', onLost);
    return new Kysely<SourceDatabase>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
  },
  // UTC for the snapshot's transaction only (timestamptz values come back with +00): SET LOCAL,
  // not a startup option, which connection poolers such as PgBouncer refuse.
  beginSnapshot: [sql`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`, sql`SET LOCAL TIME ZONE 'UTC'`],
  async columns(db, schema, table) {
    const { rows } = await sql<{ name: string; type: string }>`
      SELECT column_name AS name, data_type AS type FROM information_schema.columns
      WHERE table_schema = coalesce(${schema}, current_schema()) AND table_name = ${table} ORDER BY ordinal_position`.execute(db);
    return rows;
  },
  async approxRows(db, schema, table) {
    const name = schema ? `${schema}.${table}` : table;
    // reltuples is -1 for a table never vacuumed or analysed: then there is no estimate.
    const { rows } = await sql<{ n: string | number | null }>`
      SELECT reltuples::bigint AS n FROM pg_class WHERE oid = to_regclass(${`"${name.split('.').join('"."')}"`})`.execute(db);
    const n = rows[0]?.n;
    if (n !== undefined && n !== null && Number(n) >= 0) return Number(n);
    // Never analysed (a new table, as a rule a small one): count it.
    const counted = await sql<{ n: string | number }>`SELECT count(*) AS n FROM ${sql.table(name)}`.execute(db);
    return Number(counted.rows[0]!.n);
  },
  sameColumn: (a, b) => a === b,
};

export const mysql: Dialect = {
  name: 'mysql',
  defaultPort: 3306,
  open(settings, password, onLost) {
    const pool = createPool({
      host: settings.host,
      port: settings.port ?? 3306,
      database: settings.database,
      user: settings.user,
      password,
      ssl: tls(settings),
      connectionLimit: 2,
      connectTimeout: 10_000,
      // DATE / DATETIME / TIMESTAMP as text, DECIMAL and BIGINT as text: nothing rounded or shifted.
      dateStrings: true,
      decimalNumbers: false,
      supportBigNumbers: true,
      bigNumberStrings: true,
      timezone: 'Z',
    });
    pool.on('connection', (connection) => connection.on('error', onLost));
    return new Kysely<SourceDatabase>({ dialect: new MysqlDialect({ pool }) });
  },
  beginSnapshot: [
    sql`SET time_zone = '+00:00'`,
    sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`,
    sql`START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY`,
  ],
  async columns(db, schema, table) {
    const { rows } = await sql<{ name: string; type: string }>`
      SELECT column_name AS name, data_type AS type FROM information_schema.columns
      WHERE table_schema = coalesce(${schema}, database()) AND table_name = ${table} ORDER BY ordinal_position`.execute(db);
    return rows;
  },
  async approxRows(db, schema, table) {
    const { rows } = await sql<{ n: string | number | null }>`
      SELECT table_rows AS n FROM information_schema.tables WHERE table_schema = coalesce(${schema}, database()) AND table_name = ${table}`.execute(db);
    const n = rows[0]?.n;
    return n === undefined || n === null ? null : Number(n);
  },
  sameColumn: (a, b) => a.toLowerCase() === b.toLowerCase(),
};

export const dialects = { postgres, mysql } as const;
