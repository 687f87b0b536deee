/**
 * The extract step every connector shares: fetch → delivery files → the file loader.
 *
 * 1. The mark: where the previous load of this entity from this target ended (meta.source_marks).
 * 2. Fetch: the connector's chunks are written one by one as delivery parts (delivery.ts); after
 *    each, `progress` reports the page and its cursor (a Temporal activity heartbeats it). A
 *    retried extract (same run id, same read) keeps the parts an earlier attempt committed and
 *    asks the connector for the rows after the last one's cursor.
 * 3. Reconcile the fetch: the rows delivered must be the rows the source counted in the same
 *    snapshot, or the extract fails (a dropped connection cannot pass for the end of the table).
 * 4. Load the parts with `loadEntity` (contracts, quarantine, load id, load log), requiring
 *    rows in the delivery = rows fetched, and record the new mark in the same transaction.
 * 5. Remove the delivery.
 * So per entity: rows fetched = rows loaded + rows quarantined, and a crash anywhere leaves
 * either the previous load and mark, or the new ones, never half of either.
 */
import type { EntityContract } from '../contract.ts';
import { loadEntity, logFailure, type LoadRequest, type LoadResult, type LoadWindow } from '../load/load-entity.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { Connector, Cursor } from './connector.ts';
import { Delivery, deliveryDir, fingerprint } from './delivery.ts';
import { markBefore, recordMark } from './marks.ts';
import { SourceError } from './secrets.ts';

export interface ConnectorExtract {
  connector: Connector;
  runId: string;
  /** the folder deliveries are written under (`<warehouse dir>/deliveries`) */
  deliveriesRoot: string;
  window?: LoadWindow;
  withWarehouse<T>(work: (warehouse: Warehouse) => Promise<T>): Promise<T>;
  progress?: (message: string) => void;
  /** the settings that shape the read (mapping, incremental, chunking): a resumed read must have the same */
  settingsFingerprint?: unknown;
  /** checked after every page: an aborted extract stops there (its committed pages stay for a retry) */
  signal?: AbortSignal;
  /** the loader's limits, as for a file (config `load`) */
  limits?: Pick<LoadRequest, 'futureToleranceHours' | 'maxQuarantinedShare'>;
}

export interface ConnectorExtractResult {
  /** what the loader reports (its rowsFetched is the rows the connector delivered) */
  load: LoadResult;
  target: string;
  /** the mark the read started from and the one it ended on (incremental reads) */
  markBefore: Cursor | null;
  markAfter: Cursor | null;
  /** parts kept from an interrupted earlier attempt */
  resumedParts: number;
  fetchSeconds: number;
}

export async function extractWithConnector(request: ConnectorExtract): Promise<ConnectorExtractResult> {
  const { connector, runId } = request;
  const contract: EntityContract = connector.contract;
  const started = Date.now();
  // A backfill window applies to entities with a watermark only; the others load whole, as files do.
  const window = contract.watermark ? request.window : undefined;
  const since = window ? null : await request.withWarehouse((warehouse) => markBefore(warehouse, contract, connector.target, runId));

  const dir = deliveryDir(request.deliveriesRoot, runId, contract.source, contract.entity);
  const read = { target: connector.target, since, window: window ?? null, settings: request.settingsFingerprint ?? null };
  const delivery = await Delivery.open(dir, { fingerprint: fingerprint(read) });
  const name = `${contract.source}.${contract.entity}`;
  if (delivery.resumedParts > 0) {
    request.progress?.(`${name}: resuming after ${delivery.resumedParts} committed page(s), ${delivery.rows} rows, cursor ${JSON.stringify(delivery.lastCursor)}`);
  }

  if (!delivery.complete) {
    try {
      await fetchInto(delivery, request, since, window);
    } catch (error) {
      // The load log shows the failed fetch as it shows a failed load: the data engineer sees
      // why the entity is stale without reading the run's log.
      const message = (error as Error).message;
      await request.withWarehouse((warehouse) => logFailure(warehouse, contract, connector.target, runId, started, message)).catch(() => undefined);
      throw error;
    }
  }
  const fetchSeconds = (Date.now() - started) / 1000;

  const markAfter = delivery.lastCursor ?? since;
  const result = await request.withWarehouse((warehouse) =>
    loadEntity(warehouse, {
      contract,
      path: connector.target,
      parts: { files: delivery.files, columns: delivery.columns },
      delivery: delivery.changesOnly ? 'changes' : 'snapshot',
      window,
      loadId: runId,
      ...request.limits,
      rowsFetched: delivery.rows,
      // A backfill reads a past window: the forward mark stays where it is.
      alsoInTransaction: window ? undefined : (w) => recordMark(w, contract, connector.target, runId, markAfter, delivery.rows),
    }),
  );
  await delivery.remove();
  return {
    load: result,
    target: connector.target,
    markBefore: since,
    markAfter: window ? since : markAfter,
    resumedParts: delivery.resumedParts,
    fetchSeconds,
  };
}

/** Reads the connector's chunks into the delivery (after its committed parts) and reconciles the count. */
async function fetchInto(delivery: Delivery, request: ConnectorExtract, since: Cursor | null, window: LoadWindow | undefined): Promise<void> {
  const { connector } = request;
  const name = `${connector.contract.source}.${connector.contract.entity}`;
  let plan = await connector.read({ since, resumeAfter: delivery.lastCursor, window });
  if (delivery.parts.length > 0 && plan.columns.join(',') !== delivery.columns.join(',')) {
    // The table gained or lost a mapped column since the committed pages: they cannot be
    // continued, so the read starts over.
    request.progress?.(`${name}: the table's columns changed since the committed pages; reading it again from the start`);
    await plan.abandon();
    await delivery.reset();
    plan = await connector.read({ since, resumeAfter: null, window });
  }
  let fetched = 0;
  for await (const chunk of plan.chunks) {
    if (chunk.rows.length === 0) continue;
    await delivery.append(chunk, plan.columns);
    fetched += chunk.rows.length;
    request.progress?.(`${name}: page ${delivery.parts.length}, ${delivery.rows} rows, cursor ${JSON.stringify(chunk.cursor)}`);
    request.signal?.throwIfAborted();
  }
  if (plan.expectedRows !== null && fetched !== plan.expectedRows) {
    throw new SourceError(`${connector.target}: the read ended after ${fetched} rows but the source counted ${plan.expectedRows} in the same snapshot; nothing was loaded`);
  }
  await delivery.finish(plan.columns, plan.changesOnly);
}
