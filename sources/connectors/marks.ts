/**
 * The high-water mark of each incremental entity: the cursor of the last row a load read, kept
 * in the warehouse (`meta.source_marks`, one row per load) and written in the load's own
 * transaction, so the mark and the rows it covers land together or not at all. A rerun of a
 * load id starts from the mark before it, like the file watermark.
 */
import type { EntityContract } from '../contract.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { Cursor } from './connector.ts';

export async function ensureMarks(warehouse: Warehouse): Promise<void> {
  await warehouse.run(`CREATE TABLE IF NOT EXISTS meta.source_marks (
    source VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    load_id VARCHAR NOT NULL,
    mark JSON,
    rows_fetched BIGINT NOT NULL,
    committed_at TIMESTAMP NOT NULL
  )`);
}

/**
 * Where a load of this entity from this target starts: the mark of the newest load committed
 * before it (for a load id not yet committed, the newest of all); null before the first. A
 * rerun of an older load id thus reads again everything it read, since it replaces its rows.
 */
export async function markBefore(warehouse: Warehouse, contract: EntityContract, target: string, loadId: string): Promise<Cursor | null> {
  await ensureMarks(warehouse);
  const rows = await warehouse.all<{ mark: string | null }>(
    `SELECT CAST(mark AS VARCHAR) AS mark FROM meta.source_marks
     WHERE source = $1 AND entity = $2 AND target = $3 AND load_id <> $4
       AND committed_at < coalesce((SELECT min(committed_at) FROM meta.source_marks WHERE source = $1 AND entity = $2 AND load_id = $4), 'infinity'::TIMESTAMP)
     ORDER BY committed_at DESC LIMIT 1`,
    [contract.source, contract.entity, target, loadId],
  );
  const mark = rows[0]?.mark;
  return mark ? (JSON.parse(mark) as Cursor) : null;
}

/** Records where this load ended (inside the load's transaction); a rerun replaces its row. */
export async function recordMark(
  warehouse: Warehouse,
  contract: EntityContract,
  target: string,
  loadId: string,
  mark: Cursor | null,
  rowsFetched: number,
): Promise<void> {
  await warehouse.run(`DELETE FROM meta.source_marks WHERE source = $1 AND entity = $2 AND load_id = $3`, [contract.source, contract.entity, loadId]);
  await warehouse.run(`INSERT INTO meta.source_marks VALUES ($1, $2, $3, $4, $5::JSON, $6, now()::TIMESTAMP)`, [
    contract.source,
    contract.entity,
    target,
    loadId,
    mark === null ? null : JSON.stringify(mark),
    rowsFetched,
  ]);
}
