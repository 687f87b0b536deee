/**
 * A company's ERP and HR databases, seeded from the reference company: the general ledger as
 * `ledger.gl_lines` (PostgreSQL; `gl_lines` on MariaDB) with its own column names, employees
 * and timesheets under the contract's names, each with an `updated_at` column. The same rows
 * are also left as files, so a test can compare a database load with the file load.
 */
import { join } from 'node:path';
import { sql } from 'kysely';
import type { DatabaseSource } from '../../../../config/sources.ts';
import { readCsv } from '../../../fixtures/reference-files.ts';
import { insertRows, type AnyDb, type DialectName, type Scratch } from './servers.ts';

/** When every seeded row was last changed (older than any mark lag). */
export const SEEDED_AT = '2026-01-01 00:00:00';

export interface Erp {
  /** the reference company's files (finance/gl_entries.csv, hr/employees.csv, ...) */
  dataDir: string;
  tables: { gl: string; employees: string; timesheets: string };
  /** source settings of each entity (without incremental) */
  sources: { gl: DatabaseSource; employees: DatabaseSource; timesheets: DatabaseSource };
  rows: { gl: number; employees: number; timesheets: number };
}

export async function createErpTables(db: AnyDb, dialect: DialectName): Promise<Erp['tables']> {
  const pg = dialect === 'postgres';
  const ts = pg ? sql`timestamptz(6)` : sql`datetime(6)`;
  const tables = pg
    ? { gl: 'ledger.gl_lines', employees: 'hr.employees', timesheets: 'hr.timesheets' }
    : { gl: 'gl_lines', employees: 'employees', timesheets: 'timesheets' };
  if (pg) {
    await sql`CREATE SCHEMA ledger`.execute(db);
    await sql`CREATE SCHEMA hr`.execute(db);
  }
  const t = (name: string) => sql.table(name);
  await sql`CREATE TABLE ${t(tables.gl)} (
    id varchar(20) PRIMARY KEY, posting_date date NOT NULL, account varchar(20) NOT NULL, cost_center varchar(40) NOT NULL,
    amount decimal(18,2) NOT NULL, cost_nature varchar(20) NOT NULL, cost_behavior varchar(20) NOT NULL, project varchar(40),
    description text, updated_at ${ts} NOT NULL)`.execute(db);
  await sql`CREATE INDEX gl_lines_updated ON ${t(tables.gl)} (updated_at, id)`.execute(db);
  await sql`CREATE TABLE ${t(tables.employees)} (
    employee_id varchar(20) PRIMARY KEY, department varchar(40) NOT NULL, role varchar(20) NOT NULL, team varchar(40) NOT NULL,
    hired_at date NOT NULL, terminated_at date, monthly_salary decimal(12,2) NOT NULL, fte decimal(4,2) NOT NULL, updated_at ${ts} NOT NULL)`.execute(db);
  await sql`CREATE TABLE ${t(tables.timesheets)} (
    employee_id varchar(20) NOT NULL, work_date date NOT NULL, hours_worked decimal(5,2) NOT NULL, updated_at ${ts} NOT NULL,
    PRIMARY KEY (employee_id, work_date))`.execute(db);
  return tables;
}

/** Tables created and seeded with the reference company's ledger, employees and timesheets. */
export async function seedErp(scratch: Scratch, dataDir: string): Promise<Erp> {
  const tables = await createErpTables(scratch.db, scratch.dialect);
  const gl = (await readCsv(join(dataDir, 'finance', 'gl_entries.csv'))).map(({ entry_id, posted_on, ...rest }) => ({
    id: entry_id,
    posting_date: posted_on,
    ...rest,
    updated_at: SEEDED_AT,
  }));
  const employees = (await readCsv(join(dataDir, 'hr', 'employees.csv'))).map((r) => ({ ...r, updated_at: SEEDED_AT }));
  const timesheets = (await readCsv(join(dataDir, 'hr', 'timesheets.csv'))).map((r) => ({ ...r, updated_at: SEEDED_AT }));
  await insertRows(scratch.db, tables.gl, gl);
  await insertRows(scratch.db, tables.employees, employees);
  await insertRows(scratch.db, tables.timesheets, timesheets);
  return {
    dataDir,
    tables,
    sources: {
      gl: scratch.source({ table: tables.gl, columns: { entry_id: 'id', posted_on: 'posting_date' } }),
      employees: scratch.source({ table: tables.employees }),
      timesheets: scratch.source({ table: tables.timesheets, chunk_rows: 1000 }),
    },
    rows: { gl: gl.length, employees: employees.length, timesheets: timesheets.length },
  };
}

/** `rows` ledger lines made by the server itself (GL000000001, ...), updated_at one second apart from 2026-01-01. */
export async function seedLedgerLines(scratch: Scratch, table: string, rows: number): Promise<void> {
  const pg = scratch.dialect === 'postgres';
  const series = pg ? sql`generate_series(1, ${sql.lit(rows)}) AS s(i)` : sql.raw(`(SELECT seq AS i FROM seq_1_to_${rows}) AS s`);
  const id = pg ? sql`'GL' || lpad(i::text, 9, '0')` : sql`concat('GL', lpad(i, 9, '0'))`;
  const day = pg ? sql`date '2024-01-01' + (i % 700)` : sql`date_add('2024-01-01', INTERVAL (i % 700) DAY)`;
  const at = pg ? sql`timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second'` : sql`date_add('2026-01-01', INTERVAL i SECOND)`;
  await sql`INSERT INTO ${sql.table(table)} (id, posting_date, account, cost_center, amount, cost_nature, cost_behavior, project, description, updated_at)
    SELECT ${id}, ${day}, '6601', 'customer_service', (i % 1000) + 0.5, 'direct', 'fixed', NULL, concat('line ', i), ${at} FROM ${series}`.execute(scratch.db);
}
