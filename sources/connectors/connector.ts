/**
 * What every connector (database today, HTTP APIs next) gives the shared extract step: chunks of
 * rows already named and written as the contract says (text values, as a file would deliver
 * them), each with the cursor after its last row. The extract step (extract.ts) writes the
 * chunks as delivery files, loads them with the file loader, and keeps the last cursor as the
 * entity's mark for the next run. A connector knows nothing of the warehouse.
 */
import type { EntityContract } from '../contract.ts';

/** A JSON value that says where a read stands, e.g. { updated_at, key } for a database. */
export type Cursor = { [name: string]: string | number | boolean | null | Array<string | number | boolean | null> };

/** One row as delivered: contract column → text value (or null). */
export type DeliveredRow = Record<string, string | null>;

export interface Chunk {
  rows: DeliveredRow[];
  /** the position after the chunk's last row: resuming after it reads the next row */
  cursor: Cursor | null;
}

export interface ReadRequest {
  /**
   * The mark the previous load of this entity ended on: read what changed since (the connector
   * applies its own safety margin). Null: read everything.
   */
  since: Cursor | null;
  /** continue a read that was interrupted after this cursor (a retried extract) */
  resumeAfter: Cursor | null;
  /** a backfill: only rows whose contract watermark is in [from, to) */
  window?: { from: string; to: string };
}

export interface ReadPlan {
  /** rows the read will deliver, counted in the same snapshot (null when the source cannot tell) */
  expectedRows: number | null;
  /** true when the read delivers only changed rows (an incremental read), false for the whole entity */
  changesOnly: boolean;
  /** the contract columns every row has (in this order); the ones the source lacks are absent */
  columns: string[];
  chunks: AsyncIterable<Chunk>;
  /** ends a read whose chunks will not be pulled (ending the iteration early does it too) */
  abandon(): Promise<void>;
}

export interface CheckResult {
  /** could connect and authenticate */
  connected: boolean;
  /** contract columns found in the source (under their mapped names) */
  found: string[];
  /** required contract columns the source lacks; nullable ones are listed in `missingOptional` */
  missing: string[];
  missingOptional: string[];
  /** about how many rows the entity has (an estimate where the source gives one) */
  approxRows: number | null;
  /** what went wrong, secrets removed */
  error: string | null;
  /** what is worth knowing but not wrong (fields the mapping does not read, kept as extra columns) */
  notes?: string[];
}

export interface Connector {
  /** `postgres://reader@erp-db:5432/erp/ledger.gl_lines`: where the rows come from, never with a secret */
  readonly target: string;
  readonly contract: EntityContract;
  /** connect, authenticate and look for every mapped column (a connector's "check connection") */
  check(): Promise<CheckResult>;
  /**
   * Opens one consistent read: `expectedRows` is known before the first chunk; chunks are
   * pulled one at a time, so at most one chunk is in memory.
   */
  read(request: ReadRequest): Promise<ReadPlan>;
  close(): Promise<void>;
}
