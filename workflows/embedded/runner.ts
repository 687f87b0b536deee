/**
 * The embedded runner: executes the declared plan in this process, calling the same activities
 * a Temporal worker would. Default for `npm start`, tests and small installations.
 */
import type { Activities } from '../activities.ts';
import { activityCall, planWaves, type PlanStep } from '../plan.ts';

export type StepStatus = 'done' | 'failed' | 'skipped';

export interface StepOutcome {
  step: PlanStep;
  status: StepStatus;
  seconds: number;
  output?: unknown;
  error?: string;
}

export interface RunEvents {
  stepStarted?(step: PlanStep): void;
  stepFinished?(outcome: StepOutcome): void;
}

export interface RunResult {
  runId: string;
  status: 'succeeded' | 'failed';
  outcomes: StepOutcome[];
  seconds: number;
  error?: string;
}

/**
 * Runs every step once its dependencies are done. After a failure the steps that depend on it
 * are skipped (never run on partial input); independent steps still run, so one bad file does
 * not hide the state of the others.
 */
export async function runPlan(
  steps: readonly PlanStep[],
  activities: Partial<Activities>,
  run: { runId: string; dataDir: string },
  events: RunEvents = {},
): Promise<RunResult> {
  const started = Date.now();
  const outcomes: StepOutcome[] = [];
  const failedOrSkipped = new Set<string>();
  for (const wave of planWaves(steps)) {
    for (const step of wave) {
      if (step.dependsOn.some((d) => failedOrSkipped.has(d))) {
        failedOrSkipped.add(step.id);
        const outcome: StepOutcome = { step, status: 'skipped', seconds: 0, error: 'an earlier step failed' };
        outcomes.push(outcome);
        events.stepFinished?.(outcome);
        continue;
      }
      events.stepStarted?.(step);
      const stepStarted = Date.now();
      const call = activityCall(step, run);
      const activity = (activities as Record<string, ((input: unknown) => Promise<unknown>) | undefined>)[call.activity];
      let outcome: StepOutcome;
      try {
        if (!activity) throw new Error(`no activity ${call.activity} for step ${step.id}`);
        const output = await activity(call.input);
        outcome = { step, status: 'done', seconds: (Date.now() - stepStarted) / 1000, output };
      } catch (error) {
        failedOrSkipped.add(step.id);
        outcome = { step, status: 'failed', seconds: (Date.now() - stepStarted) / 1000, error: (error as Error).message };
      }
      outcomes.push(outcome);
      events.stepFinished?.(outcome);
    }
  }
  const failed = outcomes.filter((o) => o.status === 'failed');
  return {
    runId: run.runId,
    status: failed.length === 0 ? 'succeeded' : 'failed',
    outcomes,
    seconds: (Date.now() - started) / 1000,
    error: failed.length === 0 ? undefined : failed.map((o) => `${o.step.id}: ${o.error}`).join('\n'),
  };
}

/** run-20261122T120000Z-3f9a: sortable, and unique enough for one warehouse. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `run-${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}
