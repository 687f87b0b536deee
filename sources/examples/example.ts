/**
 * A real public data set mapped onto the source contract (../shared/datasets/, see its README).
 * Each mapping is a documented adapter, the same thing a user writes for their own exports:
 * it writes `<out>/<source>/<entity>.csv` for what the data set holds, and header-only files
 * for what it does not, so those marts are empty rather than invented.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { entities } from '../catalog.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { literal } from '../../warehouse/warehouse.ts';

export interface Example {
  name: string;
  description: string;
  /** folder under the shared datasets directory */
  dataset: string;
  /** configuration overrides that make the marts meaningful for this data */
  config: Record<string, unknown>;
  /** writes the mapped entity files into `out`; returns the entities it wrote */
  map(warehouse: Warehouse, datasetDir: string, out: string): Promise<string[]>;
  /**
   * Starts what the example reads from besides files (an API, a database) over the files in
   * `dataDir`; the run configures the returned sources and stops the services after it.
   */
  serve?(dataDir: string): Promise<ExampleServices>;
}

export interface ExampleServices {
  /** the configuration's `sources:` pointing at the services */
  sources: Record<string, unknown>;
  /** environment variables the sources name (their tokens) */
  env: Record<string, string>;
  /** what was started, one line each, for the user */
  lines: string[];
  stop(): Promise<void>;
}

/** Header-only CSV files for every contract entity the mapping did not write. */
export function writeEmptyEntities(out: string, written: readonly string[]): void {
  for (const e of entities) {
    const name = `${e.source}.${e.entity}`;
    if (written.includes(name)) continue;
    mkdirSync(join(out, e.source), { recursive: true });
    writeFileSync(join(out, e.source, `${e.entity}.csv`), `${Object.keys(e.schema.shape).join(',')}\n`);
  }
}

/** COPY a query to `<out>/<source>/<entity>.csv` with a header, in the contract's CSV dialect. */
export async function copyEntity(warehouse: Warehouse, out: string, entity: string, query: string): Promise<string> {
  const [source, name] = entity.split('.') as [string, string];
  mkdirSync(join(out, source), { recursive: true });
  const path = join(out, source, `${name}.csv`).replaceAll("'", "''");
  await warehouse.run(`COPY (${query}) TO ${literal(path)} (HEADER, DELIMITER ',', QUOTE '"')`);
  return entity;
}
