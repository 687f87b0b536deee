/**
 * `crm-eval run`: the whole pipeline on the embedded runner, against one warehouse file, with
 * every run recorded in meta.runs by the same activities a Temporal run uses (the load log,
 * meta.load_log, has one row per entity).
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
  /** where the report site is built (default build/) */
  siteDir?: string;
  events?: RunEvents & { progress?: (message: string) => void };
}

export async function runPipeline(options: PipelineOptions): Promise<RunResult> {
  const runId = options.runId ?? newRunId();
  const warehouse = await Warehouse.open(options.warehousePath, { engine: options.config.warehouse });
  try {
    const activities = createActivities({
      config: options.config,
      withWarehouse: (work) => work(warehouse),
      progress: options.events?.progress,
      siteDir: options.siteDir,
    });
    await activities.recordRunStart({ runId, runner: 'embedded', dataDir: options.dataDir });
    const plan = pipelinePlan({ entities, reports: options.reports ?? false });
    const result = await runPlan(plan, activities, { runId, dataDir: options.dataDir }, options.events);
    await activities.recordRunEnd({
      runId,
      status: result.status,
      error: result.error,
      steps: result.outcomes.map((o) => ({ id: o.step.id, status: o.status, seconds: o.seconds, error: o.error ?? null })),
    });
    return result;
  } finally {
    warehouse.close();
  }
}
