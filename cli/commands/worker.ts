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
  deploymentName?: string;
  buildId?: string;
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
    deployment: deployment(flags),
  });
}

/** --deployment-name and --build-id (or TEMPORAL_DEPLOYMENT_NAME, TEMPORAL_WORKER_BUILD_ID): both or neither. */
function deployment(flags: WorkerFlags): { name: string; buildId: string } | undefined {
  const name = flags.deploymentName ?? process.env.TEMPORAL_DEPLOYMENT_NAME;
  const buildId = flags.buildId ?? process.env.TEMPORAL_WORKER_BUILD_ID;
  if (!name && !buildId) return undefined;
  if (!name || !buildId) throw Object.assign(new Error('worker versioning needs both --deployment-name and --build-id (TEMPORAL_DEPLOYMENT_NAME, TEMPORAL_WORKER_BUILD_ID)'), { exitCode: 2 });
  return { name, buildId };
}
