/**
 * `crm-eval run`: the whole pipeline on the embedded runner, against one warehouse file, with
 * every run recorded in meta.runs (the load log, meta.load_log, has one row per entity).
 */
import type { Config } from '../../config/schema.ts';
import { entities } from '../../sources/catalog.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { createActivities } from '../activities.ts';
import { pipelinePlan } from '../plan.ts';
import { newRunId, runPlan, type RunEvents, type RunResult } from './runner.ts';

export interface PipelineOptions {
  dataDir: string;
  warehousePath: string;
  config: Config;
  runId?: string;
  reports?: boolean;
  events?: RunEvents & { progress?: (message: string) => void };
}

export async function runPipeline(options: PipelineOptions): Promise<RunResult> {
  const runId = options.runId ?? newRunId();
  const warehouse = await Warehouse.open(options.warehousePath);
  try {
    await recordRunStart(warehouse, runId, options);
    const activities = createActivities({
      config: options.config,
      withWarehouse: (work) => work(warehouse),
      progress: options.events?.progress,
    });
    const plan = pipelinePlan({ entities, reports: options.reports ?? false });
    const result = await runPlan(plan, activities, { runId, dataDir: options.dataDir }, options.events);
    await recordRunEnd(warehouse, result);
    return result;
  } finally {
    warehouse.close();
  }
}

async function recordRunStart(warehouse: Warehouse, runId: string, options: PipelineOptions) {
  await warehouse.run(`CREATE TABLE IF NOT EXISTS meta.runs (
    run_id VARCHAR PRIMARY KEY, runner VARCHAR, data_dir VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP,
    status VARCHAR, error VARCHAR, steps JSON)`);
  await warehouse.run(`DELETE FROM meta.runs WHERE run_id = $1`, [runId]);
  await warehouse.run(`INSERT INTO meta.runs VALUES ($1, 'embedded', $2, now()::TIMESTAMP, NULL, 'running', NULL, NULL)`, [
    runId,
    options.dataDir,
  ]);
}

async function recordRunEnd(warehouse: Warehouse, result: RunResult) {
  const steps = result.outcomes.map((o) => ({ id: o.step.id, status: o.status, seconds: o.seconds, error: o.error ?? null }));
  await warehouse.run(`UPDATE meta.runs SET finished_at = now()::TIMESTAMP, status = $2, error = $3, steps = $4 WHERE run_id = $1`, [
    result.runId,
    result.status,
    result.error ?? null,
    JSON.stringify(steps),
  ]);
}
