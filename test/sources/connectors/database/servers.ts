/**
 * The database servers of the machine (PostgreSQL on 5432, MariaDB on 3306), each with a
 * scratch database per test file (unique name, dropped at the end). A server that does not
 * answer skips its tests with one line saying why, unless CRM_EVAL_REQUIRE_DATABASES=1 (CI),
 * where it fails them.
 */
import { randomBytes } from 'node:crypto';
import { Kysely, MysqlDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createPool } from 'mysql2';
import type { DatabaseSource } from '../../../../config/sources.ts';
import { DatabaseSourceSchema } from '../../../../config/sources.ts';

export type DialectName = 'postgres' | 'mysql';

export const SERVERS: Record<DialectName, { label: string; host: string; port: number; user: string }> = {
  postgres: { label: 'PostgreSQL', host: process.env.CRM_EVAL_PG_HOST ?? '127.0.0.1', port: Number(process.env.CRM_EVAL_PG_PORT ?? 5432), user: process.env.CRM_EVAL_PG_USER ?? 'postgres' },
  mysql: { label: 'MariaDB', host: process.env.CRM_EVAL_MYSQL_HOST ?? '127.0.0.1', port: Number(process.env.CRM_EVAL_MYSQL_PORT ?? 3306), user: process.env.CRM_EVAL_MYSQL_USER ?? 'root' },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

/** An admin connection to `database` (the server's default when omitted). */
export function adminDb(dialect: DialectName, database?: string): AnyDb {
  const s = SERVERS[dialect];
  if (dialect === 'postgres') {
    // Dates as the server writes them (2024-03-01), as the MariaDB connection does (dateStrings).
    const types = { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 1082 ? (v: string) => v : pg.types.getTypeParser(oid, format ?? 'text'))) as typeof pg.types.getTypeParser };
    const pool = new pg.Pool({ host: s.host, port: s.port, user: s.user, database: database ?? 'postgres', max: 3, connectionTimeoutMillis: 3000, types });
    return new Kysely({ dialect: new PostgresDialect({ pool }) });
  }
  const pool = createPool({ host: s.host, port: s.port, user: s.user, password: '', database, connectionLimit: 3, connectTimeout: 3000, dateStrings: true });
  return new Kysely({ dialect: new MysqlDialect({ pool }) });
}

/** Why the server cannot be used, or null when it answers. */
export async function unreachable(dialect: DialectName): Promise<string | null> {
  const db = adminDb(dialect);
  try {
    await sql`SELECT 1`.execute(db);
    return null;
  } catch (error) {
    const s = SERVERS[dialect];
    return `${s.label} at ${s.host}:${s.port} (user ${s.user}) is not reachable: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    await db.destroy().catch(() => undefined);
  }
}

/** Which servers to test; prints one line per skipped server, throws when CI requires them. */
export async function availableServers(): Promise<DialectName[]> {
  const available: DialectName[] = [];
  for (const dialect of ['postgres', 'mysql'] as const) {
    const why = await unreachable(dialect);
    if (why === null) available.push(dialect);
    else if (process.env.CRM_EVAL_REQUIRE_DATABASES === '1') throw new Error(`CRM_EVAL_REQUIRE_DATABASES=1 but ${why}`);
    else console.warn(`skipping the ${SERVERS[dialect].label} tests: ${why}`);
  }
  return available;
}

export interface Scratch {
  dialect: DialectName;
  database: string;
  /** a connection to the scratch database */
  db: AnyDb;
  /** source settings pointing at a table of the scratch database */
  source(overrides: Partial<DatabaseSource> & { table: string }): DatabaseSource;
  drop(): Promise<void>;
}

export async function createScratch(dialect: DialectName): Promise<Scratch> {
  const database = `crm_eval_test_${randomBytes(5).toString('hex')}`;
  const admin = adminDb(dialect);
  await sql`CREATE DATABASE ${sql.id(database)}`.execute(admin);
  await admin.destroy();
  const db = adminDb(dialect, database);
  const s = SERVERS[dialect];
  return {
    dialect,
    database,
    db,
    source: (overrides) =>
      DatabaseSourceSchema.parse({ kind: 'database', dialect, host: s.host, port: s.port, database, user: s.user, ...overrides }) as DatabaseSource,
    async drop() {
      await db.destroy().catch(() => undefined);
      const again = adminDb(dialect);
      try {
        if (dialect === 'postgres') await sql`DROP DATABASE IF EXISTS ${sql.id(database)} WITH (FORCE)`.execute(again);
        else await sql`DROP DATABASE IF EXISTS ${sql.id(database)}`.execute(again);
      } finally {
        await again.destroy();
      }
    },
  };
}

/** Inserts rows in batches of 500 (values bound, never interpolated). */
export async function insertRows(db: AnyDb, table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  const [schema, name] = table.includes('.') ? table.split('.') : [null, table];
  const target = schema ? db.withSchema(schema) : db;
  for (let i = 0; i < rows.length; i += 500) {
    await target.insertInto(name!).values(rows.slice(i, i + 500)).execute();
  }
}
