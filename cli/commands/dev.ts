/**
 * `crm-eval dev` (`npm run start:temporal`): the main job through Temporal on one machine. It
 * starts a local dev server when the Temporal CLI is there (or uses --address / TEMPORAL_ADDRESS),
 * a worker in this process, applies the nightly schedule, triggers a run and follows it with the
 * same progress and summary as `npm start`, then stops the worker and the server it started.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../../config/load.ts';
import { entities } from '../../sources/catalog.ts';
import { pipelinePlan } from '../../workflows/plan.ts';
import { applySchedule, nightlySchedule, SCHEDULE_ID } from '../../workflows/temporal/client.ts';
import { connectClient, temporalSettings, type TemporalFlags } from '../../workflows/temporal/connection.ts';
import { findTemporalCli, startDevServer, TEMPORAL_CLI_HINT, type DevServer } from '../../workflows/temporal/dev-server.ts';
import { startWorkers } from '../../workflows/temporal/worker.ts';
import type { nightlyLoad } from '../../workflows/temporal/workflows.ts';
import { DEFAULT_SCALE, DEFAULT_SEED } from '../defaults.ts';
import { followRun } from '../follow.ts';
import { createReporter, summary } from '../reporter.ts';
import { generateCommand } from './generate.ts';

export interface DevFlags extends TemporalFlags {
  data: string;
  warehouse: string;
  config?: string;
  skipReports?: boolean;
  site?: string;
}

export async function devCommand(flags: DevFlags): Promise<void> {
  const { config, file } = loadConfig(flags.config);
  if (!existsSync(join(flags.data, 'manifest.json'))) {
    await generateCommand({ out: flags.data, scale: DEFAULT_SCALE, seed: DEFAULT_SEED, format: 'csv', config: flags.config });
  }
  // the worker's state changes would interleave with the progress display
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  let server: DevServer | undefined;
  const given = flags.address ?? process.env.TEMPORAL_ADDRESS;
  if (!given) {
    const cli = findTemporalCli();
    if (!cli) throw Object.assign(new Error(`no Temporal server to run on: ${TEMPORAL_CLI_HINT}; or start one and pass --address`), { exitCode: 1 });
    mkdirSync(dirname(flags.warehouse), { recursive: true });
    server = await startDevServer({ cli, logFile: join(dirname(flags.warehouse), 'temporal-dev-server.log') });
    console.log(`Temporal dev server started on ${server.address} (log ${server.logFile}).`);
  }
  const settings = temporalSettings({ ...flags, address: given ?? server!.address });
  let stopWorkers: (() => Promise<void>) | undefined;
  const stopAll = async () => {
    await stopWorkers?.();
    await server?.stop();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.log(`\n${signal}: stopping the worker${server ? ' and the dev server' : ''}`);
    void stopAll().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const workers = await startWorkers({ settings, role: 'all', warehousePath: flags.warehouse, dataDir: flags.data, siteDir: flags.site, config });
    stopWorkers = async () => {
      workers.shutdown();
      await workers.done;
    };
    console.log(`Worker polling ${workers.taskQueues.join(' and ')}; data ${flags.data}, warehouse ${flags.warehouse}, configuration ${file ?? '(defaults)'}.`);

    const client = await connectClient(settings);
    try {
      const reports = !flags.skipReports;
      const outcome = await applySchedule(client, nightlySchedule(config.schedule, settings, { reports }));
      console.log(`Schedule ${SCHEDULE_ID} ${outcome} ("${config.schedule.cron}" ${config.schedule.time_zone}); triggering a run now.`);
      const schedule = client.schedule.getHandle(SCHEDULE_ID);
      const before = new Set((await schedule.describe()).info.recentActions.map((a) => a.action.workflow.workflowId));
      await schedule.trigger(ScheduleOverlapPolicy.SKIP);
      const runId = await triggeredRun(async () => (await schedule.describe()).info, before);
      console.log(`Run ${runId} (watch it elsewhere: crm-eval status ${runId} --address ${settings.address})`);
      const plan = pipelinePlan({ entities, reports });
      const result = await followRun(client.workflow.getHandle<typeof nightlyLoad>(runId), plan, createReporter(plan.length));
      console.log(`\n${summary(result)}`);
      if (result.status !== 'succeeded') throw Object.assign(new Error(`run ${result.runId} failed:\n${result.error}`), { exitCode: 1 });
    } finally {
      await client.connection.close();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
    console.log(`Worker stopped${server ? ', dev server stopped' : ''}.`);
  }
}

/** The workflow id of the run the trigger started (a running or a just-finished action). */
async function triggeredRun(
  describe: () => Promise<{ runningActions: Array<{ workflow: { workflowId: string } }>; recentActions: Array<{ action: { workflow: { workflowId: string } } }> }>,
  before: Set<string>,
): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const info = await describe();
    const id = [...info.runningActions.map((a) => a.workflow.workflowId), ...info.recentActions.map((a) => a.action.workflow.workflowId)].find((w) => !before.has(w));
    if (id) return id;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the triggered run did not start within 30 s (a run already going? the schedule skips overlapping runs)');
}
