/**
 * The DuckDB warehouse: one file, schemas raw / quarantine / staging / marts / meta.
 * Everything that reads or writes it goes through this small wrapper so that every connection
 * gets the same session settings (UTC, so timestamps never shift with the machine's zone).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

export { ident, literal } from './sql.ts';

export const SCHEMAS = ['raw', 'quarantine', 'staging', 'marts', 'meta'] as const;

export type Row = Record<string, unknown>;

/** The engine settings of the configuration's `warehouse:` (config/schema.ts); null keeps DuckDB's default. */
export interface EngineSettings {
  memory_limit: string | null;
  temp_directory: string | null;
  threads: number | null;
}
type Params = DuckDBValue[] | Record<string, DuckDBValue>;

export class Warehouse {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    /** false for a connection from connect(): closing it leaves the shared instance open */
    private readonly ownsInstance = true,
  ) {}

  /** Opens (or creates) a warehouse file; `:memory:` for a throwaway one. */
  static async open(path: string, options: { readOnly?: boolean; engine?: EngineSettings } = {}): Promise<Warehouse> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path, { ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}), ...engineOptions(options.engine) });
    const connection = await instance.connect();
    const warehouse = new Warehouse(path, instance, connection);
    await warehouse.run(`SET TimeZone = 'UTC'`);
    if (!options.readOnly) {
      for (const schema of SCHEMAS) await warehouse.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    }
    return warehouse;
  }

  /**
   * Another connection to the same open database. DuckDB lets one process write a file, through
   * as many connections as it likes: a Temporal worker opens the warehouse once and gives every
   * concurrent activity its own connection (own transaction, own temporary tables).
   */
  async connect(): Promise<Warehouse> {
    const warehouse = new Warehouse(this.path, this.instance, await this.instance.connect(), false);
    await warehouse.run(`SET TimeZone = 'UTC'`);
    return warehouse;
  }

  async run(sql: string, params?: Params): Promise<void> {
    await this.connection.run(sql, params);
  }

  /** Runs a write and returns how many rows it inserted, updated or deleted. */
  async changed(sql: string, params?: Params): Promise<number> {
    const result = await this.connection.run(sql, params);
    return Number(result.rowsChanged);
  }

  /** Rows as plain objects; BIGINT and HUGEINT come back as numbers when they fit exactly. */
  async all<T extends object = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS().map((row) => {
      const out: Row = {};
      for (const [key, value] of Object.entries(row)) out[key] = toPlain(value);
      return out as T;
    });
  }

  async one<T extends object = Row>(sql: string, params?: Params): Promise<T> {
    const rows = await this.all<T>(sql, params);
    if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}: ${sql.slice(0, 120)}`);
    return rows[0]!;
  }

  /** Runs `work` in one transaction: all of it lands, or none of it. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.run('COMMIT');
      return result;
    } catch (error) {
      await this.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async tableExists(schema: string, table: string): Promise<boolean> {
    const rows = await this.all(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`,
      [schema, table],
    );
    return rows.length > 0;
  }

  async columns(schema: string, table: string): Promise<string[]> {
    const rows = await this.all<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [schema, table],
    );
    return rows.map((r) => r.column_name);
  }

  close(): void {
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}

/** DuckDB's start-up options for the settings that are set (DuckDB takes them all as text). */
function engineOptions(engine: EngineSettings | undefined): Record<string, string> {
  const options: Record<string, string> = {};
  if (engine?.memory_limit != null) options.memory_limit = engine.memory_limit;
  if (engine?.temp_directory != null) options.temp_directory = engine.temp_directory;
  if (engine?.threads != null) options.threads = String(engine.threads);
  return options;
}

function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
  }
  return value;
}
