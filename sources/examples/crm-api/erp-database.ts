/**
 * The reference company's ERP and HR tables in a PostgreSQL database of their own, laid out as
 * the `reference-erp` preset expects (ledger.gl_lines with its own column names, hr.employees,
 * hr.timesheets, each with updated_at), so the crm-api example reads finance and HR the way a
 * company's nightly load would. The database is dropped and created again on every run.
 */
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { literalFilePattern } from '../../load/files.ts';
import { Warehouse, literal } from '../../../warehouse/warehouse.ts';

export interface ErpServer {
  host: string;
  port: number;
  user: string;
  database: string;
}

/** The machine's PostgreSQL, as the tests and CI find it (CRM_EVAL_PG_* override). */
export function localPostgres(database: string): ErpServer {
  return {
    host: process.env.CRM_EVAL_PG_HOST ?? '127.0.0.1',
    port: Number(process.env.CRM_EVAL_PG_PORT ?? 5432),
    user: process.env.CRM_EVAL_PG_USER ?? 'postgres',
    database,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

function connect(server: ErpServer, database: string): AnyDb {
  const pool = new pg.Pool({ host: server.host, port: server.port, user: server.user, database, max: 2, connectionTimeoutMillis: 3000 });
  return new Kysely({ dialect: new PostgresDialect({ pool }) });
}

/** Creates the database afresh and copies the company's ledger, employees and timesheets into it; returns the rows per table. */
export async function seedErpDatabase(server: ErpServer, dataDir: string): Promise<Record<string, number>> {
  const admin = connect(server, 'postgres');
  try {
    await sql`DROP DATABASE IF EXISTS ${sql.id(server.database)} WITH (FORCE)`.execute(admin);
    await sql`CREATE DATABASE ${sql.id(server.database)}`.execute(admin);
  } finally {
    await admin.destroy();
  }
  const db = connect(server, server.database);
  try {
    await sql`CREATE SCHEMA ledger`.execute(db);
    await sql`CREATE SCHEMA hr`.execute(db);
    await sql`CREATE TABLE ledger.gl_lines (
      id varchar(20) PRIMARY KEY,
      posting_date date NOT NULL,
      account varchar(20) NOT NULL,
      cost_center varchar(40) NOT NULL,
      amount decimal(18,2) NOT NULL,
      cost_nature varchar(20) NOT NULL,
      cost_behavior varchar(20) NOT NULL,
      project varchar(40),
      description text,
      updated_at timestamptz NOT NULL DEFAULT now())`.execute(db);
    await sql`CREATE TABLE hr.employees (
      employee_id varchar(20) PRIMARY KEY,
      department varchar(40) NOT NULL,
      role varchar(20) NOT NULL,
      team varchar(40) NOT NULL,
      hired_at date NOT NULL,
      terminated_at date,
      monthly_salary decimal(12,2) NOT NULL,
      fte decimal(4,2) NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`.execute(db);
    await sql`CREATE TABLE hr.timesheets (
      employee_id varchar(20) NOT NULL,
      work_date date NOT NULL,
      hours_worked decimal(5,2) NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (employee_id, work_date))`.execute(db);
    const rows: Record<string, number> = {};
    rows['ledger.gl_lines'] = await copyCsv(db, 'ledger', 'gl_lines', join(dataDir, 'finance', 'gl_entries.csv'), { entry_id: 'id', posted_on: 'posting_date' });
    rows['hr.employees'] = await copyCsv(db, 'hr', 'employees', join(dataDir, 'hr', 'employees.csv'));
    rows['hr.timesheets'] = await copyCsv(db, 'hr', 'timesheets', join(dataDir, 'hr', 'timesheets.csv'));
    return rows;
  } finally {
    await db.destroy();
  }
}

/** Inserts a CSV file's rows (read by DuckDB as text) in batches, values bound; `rename` maps file columns to table columns. */
async function copyCsv(db: AnyDb, schema: string, table: string, file: string, rename: Record<string, string> = {}): Promise<number> {
  const warehouse = await Warehouse.open(':memory:');
  let rows: Array<Record<string, string | null>>;
  try {
    rows = await warehouse.all(`SELECT * FROM read_csv(${literal(literalFilePattern(file))}, header = true, all_varchar = true)`);
  } finally {
    warehouse.close();
  }
  const renamed = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [rename[k] ?? k, v === '' ? null : v])));
  for (let i = 0; i < renamed.length; i += 1000) {
    await db.withSchema(schema).insertInto(table).values(renamed.slice(i, i + 1000)).execute();
  }
  return renamed.length;
}
