/**
 * Following a Temporal run the way `npm start` shows an embedded one: its progress query,
 * polled, becomes the same step events (spinner or plain lines), and its end the same summary.
 */
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { RunEvents, RunResult, StepOutcome } from '../workflows/embedded/runner.ts';
import type { PlanStep } from '../workflows/plan.ts';
import type { Progress, StepRecord } from '../workflows/temporal/workflows.ts';

export async function followRun(handle: WorkflowHandle, plan: PlanStep[], events: RunEvents, pollMs = 500): Promise<RunResult> {
  const started = Date.now();
  const byId = new Map(plan.map((step) => [step.id, step]));
  const seen = new Map<string, StepRecord['status']>();
  const outcomes: StepOutcome[] = [];
  const report = (records: StepRecord[]) => {
    for (const record of records) {
      const step = byId.get(record.id);
      if (!step || seen.get(record.id) === record.status) continue;
      if (!seen.has(record.id) || record.status === 'running') events.stepStarted?.(step);
      seen.set(record.id, record.status);
      if (record.status === 'running') continue;
      const outcome = outcomeOf(step, record);
      outcomes.push(outcome);
      events.stepFinished?.(outcome);
    }
  };
  let finished = false;
  const result = handle.result().finally(() => (finished = true));
  while (!finished) {
    const progress = await handle.query<Progress>('progress').catch(() => null);
    if (progress) report(progress.steps);
    await Promise.race([result.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, pollMs))]);
  }
  try {
    const summary = await result;
    report(summary.steps);
    return { runId: summary.runId, status: 'succeeded', outcomes, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    const progress = await handle.query<Progress>('progress').catch(() => null);
    if (progress) report(progress.steps);
    const message = error instanceof WorkflowFailedError ? ((error.cause as Error | undefined)?.message ?? error.message) : (error as Error).message;
    return { runId: handle.workflowId, status: 'failed', outcomes, seconds: (Date.now() - started) / 1000, error: message };
  }
}

function outcomeOf(step: PlanStep, record: StepRecord): StepOutcome {
  const status = record.status === 'done' ? 'done' : record.status === 'failed' ? 'failed' : 'skipped';
  const rows = record.rows;
  const output =
    step.kind === 'extract' && rows
      ? {
          ...step.entity!,
          status: rows.notProvided ? 'not_provided' : rows.absent ? 'absent' : 'loaded',
          rowsRead: rows.read,
          rowsLoaded: rows.loaded,
          rowsQuarantined: rows.quarantined,
          rowsSkipped: rows.skipped,
          extraColumns: [],
          seconds: record.seconds,
        }
      : undefined;
  return { step, status, seconds: record.seconds, output, ...(record.error ? { error: record.error } : {}) };
}
