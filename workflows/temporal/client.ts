/**
 * What the `crm-eval` client commands do on Temporal: start a run by hand, show a run's
 * progress, and keep the nightly schedule as code (created or updated idempotently from the
 * configuration). Workflows are referred to by name with their types, so this file never loads
 * workflow code.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowNotFoundError, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../../config/schema.ts';
import { validateRunId } from '../run-id.ts';
import type { TemporalSettings } from './connection.ts';
import type { backfill, BackfillInput, nightlyLoad, NightlyInput, Progress } from './workflows.ts';

export const SCHEDULE_ID = 'crm-eval-nightly';

/** crm-eval-nightly-manual-20261122T120000Z: sortable; it is also the run's load id. */
export function manualRunId(kind: 'nightly' | 'backfill', now = new Date(), range?: { from: string; to: string }): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return kind === 'nightly' ? `crm-eval-nightly-manual-${stamp}` : `crm-eval-backfill-${range!.from}-${range!.to}-${stamp}`;
}

export async function startNightly(client: Client, settings: TemporalSettings, input: NightlyInput & { runId: string }) {
  validateRunId(input.runId);
  return client.workflow.start<typeof nightlyLoad>('nightlyLoad', {
    taskQueue: settings.taskQueue,
    workflowId: input.runId,
    args: [{ ...input, ...activityQueue(settings) }],
  });
}

export async function startBackfill(client: Client, settings: TemporalSettings, input: BackfillInput & { runId: string }) {
  validateRunId(input.runId);
  return client.workflow.start<typeof backfill>('backfill', {
    taskQueue: settings.taskQueue,
    workflowId: input.runId,
    args: [{ ...input, ...activityQueue(settings) }],
  });
}

export interface RunStatus {
  runId: string;
  /** RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, CONTINUED_AS_NEW, TIMED_OUT */
  status: string;
  workflowType: string;
  startTime: Date;
  closeTime?: Date;
  progress: Progress | null;
  /** why there is no progress: no worker answered the query in time */
  progressError?: string;
}

/** The run's state from the server and its progress from the workflow (a query a worker answers). */
export async function runStatus(client: Client, runId: string, queryTimeoutMs = 5000): Promise<RunStatus> {
  const handle = client.workflow.getHandle(runId);
  let description;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw Object.assign(new Error(`no run ${runId} on Temporal (the run id is the workflow id)`), { exitCode: 1 });
    throw error;
  }
  const status: RunStatus = {
    runId,
    status: description.status.name,
    workflowType: description.type,
    startTime: description.startTime,
    closeTime: description.closeTime,
    progress: null,
  };
  try {
    status.progress = await client.connection.withDeadline(Date.now() + queryTimeoutMs, () => handle.query<Progress>('progress'));
  } catch (error) {
    status.progressError = `no progress: ${(error as Error).message.split('\n')[0]} (is a worker running?)`;
  }
  return status;
}

export function formatStatus(s: RunStatus): string {
  const lines = [`Run ${s.runId} (${s.workflowType}): ${s.status}, started ${s.startTime.toISOString()}${s.closeTime ? `, closed ${s.closeTime.toISOString()}` : ''}`];
  const p = s.progress;
  if (!p) return [...lines, `  ${s.progressError}`].join('\n');
  lines.push(`  steps: ${p.done.length} done, ${p.running.length} running, ${p.failed.length} failed, ${p.skipped.length} skipped`);
  if (p.running.length > 0) lines.push(`  running: ${p.running.join(', ')}`);
  for (const f of p.failed) lines.push(`  FAIL ${f.id}: ${f.error}`);
  const n = (x: number) => x.toLocaleString('en-US');
  lines.push(`  rows so far: ${n(p.rows.read)} read, ${n(p.rows.loaded)} loaded, ${n(p.rows.quarantined)} quarantined, ${n(p.rows.skipped)} skipped`);
  if (p.backfill) {
    const b = p.backfill;
    lines.push(`  backfill ${b.from} to ${b.to} (exclusive): ${b.chunksDone}/${b.chunksTotal} months${b.current ? `, now ${b.current.from}` : ''}`);
  }
  return lines.join('\n');
}

/**
 * The nightly schedule, from the configuration: cron and time zone, a catch-up window for runs
 * missed while the server was down, and overlap SKIP (a night that runs long never has a second
 * load writing the same warehouse next to it).
 */
export function nightlySchedule(schedule: Config['schedule'], settings: TemporalSettings, options: { reports?: boolean } = {}): ScheduleOptions {
  return {
    scheduleId: SCHEDULE_ID,
    spec: { cronExpressions: [schedule.cron], timezone: schedule.time_zone },
    action: {
      type: 'startWorkflow',
      workflowType: 'nightlyLoad',
      // the server appends the scheduled time: crm-eval-nightly-2026-11-22T02:00:00Z is the run id
      workflowId: SCHEDULE_ID,
      taskQueue: settings.taskQueue,
      // the nightly load ends with the report site, as npm start does (unless the site is built elsewhere)
      args: [{ ...activityQueue(settings), reports: options.reports ?? true }],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: schedule.catchup_window },
  };
}

/** Creates the schedule, or brings an existing one up to date (keeping it paused if it is). */
export async function applySchedule(client: Client, options: ScheduleOptions): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, ...options.policies },
    }));
    return 'updated';
  }
}

/** Only when activities have their own queue: workflows default to their own task queue. */
function activityQueue(settings: TemporalSettings): NightlyInput {
  return settings.activityTaskQueue === settings.taskQueue ? {} : { activityTaskQueue: settings.activityTaskQueue };
}
