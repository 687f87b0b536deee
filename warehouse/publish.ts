/**
 * DuckDB allows one writer. The pipeline writes the working file; readers (reports, analysts)
 * read a snapshot that is swapped in atomically once the data tests pass, so nobody ever reads
 * half-built marts. The snapshot holds what readers may read, the marts and the run and load
 * logs (meta): raw and quarantine keep personal data as delivered, and staging is the
 * pipeline's own working layer; both stay in the working file.
 */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { literal, ident, type Warehouse } from './warehouse.ts';

export const PUBLISHED_SCHEMAS = ['marts', 'meta'] as const;
/**
 * meta.settings holds the PII hashing salt: publishing it next to the hashes would undo them.
 * meta.source_marks is where each database read ended (key values of source rows): the
 * pipeline's own state, not for readers. meta.model_builds (seconds per model) is for whoever
 * tunes the pipeline, in the working file.
 */
const UNPUBLISHED_TABLES = ['meta.settings', 'meta.source_marks', 'meta.model_builds'];

/** data/warehouse.duckdb → data/warehouse.published.duckdb */
export function publishedPath(warehousePath: string): string {
  return warehousePath.replace(/(\.duckdb)?$/, '.published.duckdb');
}

/**
 * Copies the readable tables into a new file and swaps it in. The run publishing it is still
 * going in the working file's meta.runs; in the snapshot it reads 'published', with the time.
 */
export async function publishSnapshot(warehouse: Warehouse, runId: string | null = null, target = publishedPath(warehouse.path)): Promise<{ path: string; tables: number }> {
  const temporary = `${target}.tmp-${process.pid}`;
  removeKilledPublishes(target);
  rmSync(temporary, { force: true });
  rmSync(`${temporary}.wal`, { force: true });
  const tables = await warehouse.all<{ schema_name: string; table_name: string }>(
    `SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name IN (${PUBLISHED_SCHEMAS.map(literal).join(', ')}) ORDER BY ALL`,
  ).then((all) => all.filter((t) => !UNPUBLISHED_TABLES.includes(`${t.schema_name}.${t.table_name}`)));
  await warehouse.run(`ATTACH ${literal(temporary)} AS snapshot`);
  try {
    for (const schema of PUBLISHED_SCHEMAS) await warehouse.run(`CREATE SCHEMA snapshot.${schema}`);
    for (const t of tables) {
      const name = `${t.schema_name}.${ident(t.table_name)}`;
      await warehouse.run(`CREATE TABLE snapshot.${name} AS SELECT * FROM ${name}`);
    }
    if (runId !== null && tables.some((t) => t.schema_name === 'meta' && t.table_name === 'runs')) {
      await warehouse.run(`UPDATE snapshot.meta.runs SET status = 'published', finished_at = now()::TIMESTAMP WHERE run_id = $1`, [runId]);
    }
  } finally {
    await warehouse.run(`DETACH snapshot`);
  }
  // rename() replaces the old snapshot in one step: a reader sees the old file or the new one.
  renameSync(temporary, target);
  rmSync(`${temporary}.wal`, { force: true });
  return { path: target, tables: tables.length };
}

/**
 * `<target>.tmp-<pid>` (and its `.wal`) of a publish whose process is gone: a kill during the
 * copy leaves them, and no later run would write that name again. A live process's are its own.
 */
function removeKilledPublishes(target: string): void {
  const dir = dirname(target);
  if (!existsSync(dir)) return;
  const prefix = `${basename(target)}.tmp-`;
  for (const name of readdirSync(dir)) {
    const match = name.startsWith(prefix) ? /^(\d+)(\.wal)?$/.exec(name.slice(prefix.length)) : null;
    if (match && !isRunning(Number(match[1]))) rmSync(join(dir, name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false; // ours is about to be rewritten
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function snapshotExists(warehousePath: string): boolean {
  return existsSync(publishedPath(warehousePath));
}
