/**
 * meta.model_builds: how long each model of each run took to build, so the slowest models of a
 * large delivery are visible after the run (METRICS.md has the marts; this says what they cost).
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { ModelBuilt } from './build.ts';

export async function ensureModelLog(warehouse: Warehouse): Promise<void> {
  await warehouse.run(`CREATE TABLE IF NOT EXISTS meta.model_builds (
    run_id VARCHAR NOT NULL, model VARCHAR NOT NULL, rows BIGINT NOT NULL, seconds DOUBLE NOT NULL, built_at TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, model))`);
}

/** Records one built model; a retried or rerun step replaces its earlier figure. */
export async function recordModelBuilt(warehouse: Warehouse, runId: string, built: ModelBuilt): Promise<void> {
  await warehouse.run(`INSERT OR REPLACE INTO meta.model_builds VALUES ($1, $2, $3, $4, now()::TIMESTAMP)`, [runId, built.model, built.rows, built.seconds]);
}
