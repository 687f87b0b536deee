/**
 * `crm-eval worker`: polls Temporal for workflow tasks and activities until SIGINT/SIGTERM.
 *
 * Workflow tasks need no data and can run on any worker; activities read the delivery and write
 * the warehouse, and DuckDB lets one process write a file, so activities must run on the one
 * host (one worker process) that owns the warehouse: give that worker its own activity task
 * queue (--activity-task-queue, also passed to the workflows by `start` and `schedule apply`).
 * With one task queue (the default) a single worker does both.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Config } from '../../config/schema.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { ensureRunLog } from '../activities.ts';
import { createTemporalActivities } from './activities.ts';
import { connectClient, connectWorker, type TemporalSettings } from './connection.ts';
import { WorkflowNotFoundError } from '@temporalio/client';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows.ts', import.meta.url));

export interface WorkerOptions {
  settings: TemporalSettings;
  /** 'workflows' for a worker anywhere, 'activities' for the warehouse host, 'all' for both */
  role: 'all' | 'workflows' | 'activities';
  warehousePath: string;
  dataDir: string;
  /** where the report site is built (default build/) */
  siteDir?: string;
  config: Config;
  /** a bundle from `npm run bundle:workflows`: what was replay-tested is what runs */
  workflowBundlePath?: string;
  maxConcurrentActivities?: number;
  /**
   * Worker Versioning: this worker is version `buildId` of deployment `name`. Runs are pinned to
   * the version they started on, so a new version never replays runs in flight; the operator
   * makes a version current (`temporal worker deployment set-current-version`) and retires the
   * old one once it has drained. Unset: an unversioned worker (then replay before rollout).
   */
  deployment?: { name: string; buildId: string };
  log?: (line: string) => void;
}

export async function runWorker(options: WorkerOptions): Promise<void> {
  const { settings, log = console.log } = options;
  // The worker's own signal handling below replaces the runtime's, which would otherwise
  // swallow SIGINT/SIGTERM while connecting.
  Runtime.install({ shutdownSignals: [] });
  const running = await startWorkers(options);
  const stop = (signal: string) => {
    log(`${signal}: stopping; running activities get up to 30 s to finish (again to force)`);
    process.once(signal, () => process.exit(130));
    running.shutdown();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const version = options.deployment ? `, version ${options.deployment.name}:${options.deployment.buildId}` : '';
  log(`Worker (${options.role}${version}) polling ${running.taskQueues.join(' and ')} on ${settings.address}, namespace ${settings.namespace}${options.role === 'workflows' ? '' : `; warehouse ${options.warehousePath}`}`);
  await running.done;
  log('Worker stopped.');
}

export interface RunningWorkers {
  taskQueues: string[];
  /** settles when every worker has stopped and the warehouse and connection are closed */
  done: Promise<void>;
  /** stops polling; running activities get the grace time to finish */
  shutdown(): void;
}

/** Connects, opens the warehouse (unless workflows only) and starts polling; for runWorker and `crm-eval dev`. */
export async function startWorkers(options: WorkerOptions): Promise<RunningWorkers> {
  const connection = await connectWorker(options.settings);
  const warehouse = options.role === 'workflows' ? null : await Warehouse.open(options.warehousePath, { engine: options.config.warehouse });
  let workers: Worker[];
  try {
    if (warehouse) await ensureRunLog(warehouse); // before concurrent activities would race to create it
    workers = await createWorkers(options, connection, warehouse);
  } catch (error) {
    warehouse?.close();
    await connection.close();
    throw error;
  }
  const done = Promise.all(workers.map((w) => w.run())).finally(async () => {
    warehouse?.close();
    await connection.close();
  });
  return {
    taskQueues: workers.map((w) => w.options.taskQueue),
    done: done.then(() => undefined),
    shutdown: () => {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}

async function createWorkers(options: WorkerOptions, connection: NativeConnection, warehouse: Warehouse | null): Promise<Worker[]> {
  const { settings } = options;
  const versioning = options.deployment
    ? {
        workerDeploymentOptions: {
          version: { deploymentName: options.deployment.name, buildId: options.deployment.buildId },
          useWorkerVersioning: true,
          defaultVersioningBehavior: 'PINNED',
        } as const,
      }
    : {};
  const common = { connection, namespace: settings.namespace, shutdownGraceTime: '30 seconds', ...versioning };
  const workflows = options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH };
  const activities = warehouse
    ? {
        activities: createTemporalActivities({
          config: options.config,
          warehouse,
          dataDir: options.dataDir,
          siteDir: options.siteDir,
          endedOnServer: (runIds) => endedOnServer(settings, runIds),
        }),
        maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? 8,
      }
    : null;
  const sameQueue = settings.activityTaskQueue === settings.taskQueue;

  if (options.role === 'workflows') return [await Worker.create({ ...common, taskQueue: settings.taskQueue, ...workflows })];
  if (options.role === 'activities') return [await Worker.create({ ...common, taskQueue: settings.activityTaskQueue, ...activities! })];
  if (sameQueue) return [await Worker.create({ ...common, taskQueue: settings.taskQueue, ...workflows, ...activities! })];
  return [
    await Worker.create({ ...common, taskQueue: settings.taskQueue, ...workflows }),
    await Worker.create({ ...common, taskQueue: settings.activityTaskQueue, ...activities! }),
  ];
}

/** Of these workflow ids, the ones whose workflow is no longer running on the server, with how it ended. */
async function endedOnServer(settings: TemporalSettings, runIds: string[]): Promise<Array<{ runId: string; status: string }>> {
  const client = await connectClient(settings);
  try {
    const ended: Array<{ runId: string; status: string }> = [];
    for (const runId of runIds) {
      try {
        const { status } = await client.workflow.getHandle(runId).describe();
        if (status.name !== 'RUNNING') ended.push({ runId, status: status.name });
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) ended.push({ runId, status: 'not found' });
        else throw error;
      }
    }
    return ended;
  } finally {
    await client.connection.close();
  }
}
