import { loadConfig } from '../../config/load.ts';
import { temporalSettings, type TemporalFlags } from '../../workflows/temporal/connection.ts';
import { runWorker } from '../../workflows/temporal/worker.ts';

export interface WorkerFlags extends TemporalFlags {
  warehouse: string;
  data: string;
  site?: string;
  config?: string;
  role: 'all' | 'workflows' | 'activities';
  workflowBundle?: string;
  maxActivities: number;
}

export async function workerCommand(flags: WorkerFlags): Promise<void> {
  const { config } = loadConfig(flags.config);
  await runWorker({
    settings: temporalSettings(flags),
    role: flags.role,
    warehousePath: flags.warehouse,
    dataDir: flags.data,
    siteDir: flags.site,
    config,
    workflowBundlePath: flags.workflowBundle ?? process.env.TEMPORAL_WORKFLOW_BUNDLE,
    maxConcurrentActivities: flags.maxActivities,
  });
}
