/**
 * The Temporal workflows: the declared plan (../plan.ts), the very one the embedded runner
 * executes, run as activities. Each step's activity and input come from activityCall(); no step
 * list is written here.
 *
 * Workflow code is replayed from its history to rebuild its state, so it must be deterministic:
 * it imports only @temporalio/workflow, the plan and the run-id rule (pure) and types (`npm run lint` enforces
 * it); everything that touches files or the warehouse happens in activities. Changing what this
 * file or the plan schedules breaks runs in flight: replay recorded histories before a rollout
 * (`npm run replay`) and guard such changes with patched().
 */
import {
  ApplicationFailure,
  CancellationScope,
  continueAsNew,
  defineQuery,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import { activityCall, pipelinePlan, planWaves, type PlanStep, type StepKind } from '../plan.ts';
import { isValidRunId, RUN_ID_RULE } from '../run-id.ts';
import type { Activities, RunEndInput, RunStartOutput } from '../activities.ts';

export interface NightlyInput {
  /** the load id of every row; default the workflow id (a schedule's run: crm-eval-nightly-<time>) */
  runId?: string;
  /** a folder on the activity host; default that worker's --data */
  dataDir?: string;
  reports?: boolean;
  /** the task queue of the worker that owns the warehouse file; default this workflow's */
  activityTaskQueue?: string;
  /**
   * How soon a lost worker is noticed and a failed step retried (defaults: heartbeat 2 minutes,
   * first retry after 10 s). Tests shorten them; so may a site with fast, flaky storage.
   */
  timeouts?: { heartbeat?: string; firstRetry?: string };
}

export interface BackfillInput extends NightlyInput {
  /** ISO date, the first day re-extracted */
  from: string;
  /** ISO date, exclusive: the first day not re-extracted */
  to: string;
  /** month chunks per workflow execution before it continues as new (default 12) */
  chunksPerRun?: number;
  /** set by continue-as-new only */
  carried?: Carried;
}

export interface Rows {
  read: number;
  loaded: number;
  quarantined: number;
  skipped: number;
}

export interface StepRecord {
  /** the plan step id, with `@<chunk start>` for a backfill's extracts */
  id: string;
  status: 'running' | 'done' | 'failed' | 'skipped';
  seconds: number;
  error: string | null;
  /** an extract's counts (absent: an optional entity that was not delivered; notProvided: its source is not in sources_provided) */
  rows?: Rows & { absent: boolean; notProvided?: boolean };
}

/** What `crm-eval status RUN` shows (the `progress` query). */
export interface Progress {
  workflow: string;
  runId: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  done: string[];
  running: string[];
  failed: Array<{ id: string; error: string }>;
  skipped: string[];
  /** every step so far, with its time and counts */
  steps: StepRecord[];
  rows: Rows;
  backfill?: { from: string; to: string; chunksDone: number; chunksTotal: number; current: Chunk | null };
}

export interface RunSummary {
  runId: string;
  status: 'succeeded';
  steps: StepRecord[];
  rows: Rows;
}

export interface Chunk {
  from: string;
  to: string;
}

/** A backfill's state handed to its next execution by continue-as-new. */
export interface Carried {
  start: RunStartOutput;
  window: Chunk;
  chunksTotal: number;
  chunksDone: number;
  /** extract steps that applied the window; the others (full extracts) ran once, in the first chunk */
  windowed: string[];
  steps: StepRecord[];
  rows: Rows;
}

export const progressQuery = defineQuery<Progress>('progress');

/**
 * Timeouts and retries per kind of step. Long steps heartbeat (the worker beats every 10 s
 * while one runs), so a lost worker is noticed within the heartbeat timeout, not the
 * start-to-close one. Contract and configuration errors come back non-retryable from the
 * activity itself (temporal/activities.ts), so attempts are spent on transient failures only.
 */
function stepOptions(timeouts: NightlyInput['timeouts'] = {}): Record<StepKind | 'bookkeeping', ActivityOptions> {
  const heartbeatTimeout = timeouts.heartbeat ?? '2 minutes';
  const retry = (maximumAttempts: number) => ({
    maximumAttempts,
    initialInterval: timeouts.firstRetry ?? '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
  });
  return {
    extract: { startToCloseTimeout: '2 hours', heartbeatTimeout, retry: retry(5) },
    transform: { startToCloseTimeout: '4 hours', heartbeatTimeout, retry: retry(3) },
    test: { startToCloseTimeout: '1 hour', heartbeatTimeout, retry: retry(3) },
    publish: { startToCloseTimeout: '30 minutes', heartbeatTimeout, retry: retry(5) },
    reports: { startToCloseTimeout: '1 hour', heartbeatTimeout, retry: retry(3) },
    // recording the run's start and end in meta.runs
    bookkeeping: { startToCloseTimeout: '2 minutes', retry: retry(10) },
  };
}

type StepActivity = (input: unknown) => Promise<unknown>;
type Bookkeeping = Pick<Activities, 'recordRunStart' | 'recordRunEnd'>;

/** The plan's extract → transform → test → publish (→ reports), scheduled run. */
export async function nightlyLoad(input: NightlyInput = {}): Promise<RunSummary> {
  const run = new Run('nightlyLoad', input);
  setHandler(progressQuery, () => run.progress());
  return run.recorded(async () => {
    const start = await run.begin('temporal:nightlyLoad', input.dataDir);
    const plan = pipelinePlan({ entities: start.entities, reports: input.reports ?? false });
    for (const wave of planWaves(plan)) await Promise.all(wave.map((step) => run.step(step)));
  });
}

/**
 * Re-extracts [from, to) month by month (incremental entities read only each month's rows and
 * replace what earlier loads held for it; full extracts reload once), then rebuilds, tests and
 * publishes once. Continues as new every `chunksPerRun` months, or sooner when the server says
 * the history is getting long, carrying the remaining range and the progress so far.
 */
export async function backfill(input: BackfillInput): Promise<RunSummary> {
  const carried = input.carried;
  const window = carried?.window ?? checkedRange(input.from, input.to);
  const chunks = monthChunks(input.from, input.to);
  const run = new Run('backfill', input, carried);
  run.window = { ...window, chunksDone: carried?.chunksDone ?? 0, chunksTotal: carried?.chunksTotal ?? chunks.length, current: null };
  setHandler(progressQuery, () => run.progress());

  return run.recorded(async () => {
    const start = carried?.start ?? (await run.begin(`temporal:backfill ${window.from}..${window.to}`, input.dataDir));
    const plan = pipelinePlan({ entities: start.entities, reports: input.reports ?? false });
    let windowed = new Set(carried?.windowed ?? plan.filter((s) => s.kind === 'extract').map((s) => s.id));
    let chunksThisRun = 0;
    for (const [index, chunk] of chunks.entries()) {
      const firstChunk = run.window!.chunksDone === 0;
      run.window!.current = chunk;
      const extracts = wavesOf(plan, (s) => s.kind === 'extract' && windowed.has(s.id));
      const applied: string[] = [];
      for (const wave of extracts) {
        await Promise.all(
          wave.map(async (step) => {
            const output = (await run.step(step, chunk)) as { window?: Chunk | null } | undefined;
            if (output?.window) applied.push(step.id);
          }),
        );
      }
      if (firstChunk) windowed = new Set(applied);
      run.window!.chunksDone += 1;
      if (run.blocked.size > 0) break; // nothing downstream runs; the run ends failed
      const next = chunks[index + 1];
      chunksThisRun += 1;
      if (next && (chunksThisRun >= (input.chunksPerRun ?? 12) || workflowInfo().continueAsNewSuggested)) {
        const state: Carried = {
          start,
          window,
          chunksTotal: run.window!.chunksTotal,
          chunksDone: run.window!.chunksDone,
          windowed: [...windowed],
          steps: [...run.steps.values()],
          rows: run.rows,
        };
        await continueAsNew<typeof backfill>({ ...input, runId: run.runId, from: next.from, carried: state });
      }
    }
    run.window!.current = null;
    for (const wave of wavesOf(plan, (s) => s.kind !== 'extract')) await Promise.all(wave.map((step) => run.step(step)));
  });
}

/** One run's state: what the progress query reports and what meta.runs records at the end. */
class Run {
  readonly runId: string;
  readonly steps = new Map<string, StepRecord>();
  /** plan step ids that failed or were skipped: the steps depending on them are skipped */
  readonly blocked = new Set<string>();
  rows: Rows = { read: 0, loaded: 0, quarantined: 0, skipped: 0 };
  status: Progress['status'] = 'running';
  window?: Progress['backfill'];
  private dataDir = '';
  private readonly taskQueue: string | undefined;
  private readonly bookkeeping: Bookkeeping;
  private readonly options: ReturnType<typeof stepOptions>;

  constructor(
    readonly workflow: string,
    input: NightlyInput,
    carried?: Carried,
  ) {
    this.runId = input.runId ?? workflowInfo().workflowId;
    // the run id becomes the load id of every row: one outside the documented set never starts
    if (!isValidRunId(this.runId)) throw ApplicationFailure.nonRetryable(`invalid run id ${JSON.stringify(String(this.runId).slice(0, 60))}: expected ${RUN_ID_RULE}`, 'InvalidRunIdError');
    this.taskQueue = input.activityTaskQueue;
    this.options = stepOptions(input.timeouts);
    this.bookkeeping = proxyActivities<Bookkeeping>({ ...this.options.bookkeeping, taskQueue: this.taskQueue });
    if (carried) {
      this.dataDir = carried.start.dataDir;
      this.rows = { ...carried.rows };
      for (const step of carried.steps) this.steps.set(step.id, step);
    }
  }

  /** Records the run as started; its answer (entities, data folder) is what the plan is built from. */
  async begin(runner: string, dataDir: string | undefined): Promise<RunStartOutput> {
    const start = await this.bookkeeping.recordRunStart({ runId: this.runId, runner, dataDir });
    this.dataDir = start.dataDir;
    return start;
  }

  /**
   * Runs one plan step as its activity, unless a step it depends on failed (then it is skipped,
   * as on the embedded runner). A failure is recorded, not thrown: independent steps go on.
   */
  async step(step: PlanStep, chunk?: Chunk): Promise<unknown> {
    const id = chunk ? `${step.id}@${chunk.from}` : step.id;
    if (step.dependsOn.some((d) => this.blocked.has(d))) {
      this.blocked.add(step.id);
      this.steps.set(id, { id, status: 'skipped', seconds: 0, error: 'an earlier step failed' });
      return undefined;
    }
    const call = activityCall(step, { runId: this.runId, dataDir: this.dataDir });
    // A backfill chunk is its own load (run id @ chunk start), so retrying it replaces only it.
    const input = chunk ? { ...call.input, runId: `${this.runId}@${chunk.from}`, window: chunk } : call.input;
    const started = Date.now();
    this.steps.set(id, { id, status: 'running', seconds: 0, error: null });
    try {
      const activity = proxyActivities<Record<string, StepActivity>>({ ...this.options[step.kind], taskQueue: this.taskQueue })[call.activity]!;
      const output = await activity(input);
      this.steps.set(id, { id, status: 'done', seconds: (Date.now() - started) / 1000, error: null, ...this.count(output) });
      return output;
    } catch (error) {
      if (isCancellation(error)) throw error;
      this.blocked.add(step.id);
      this.steps.set(id, { id, status: 'failed', seconds: (Date.now() - started) / 1000, error: messageOf(error) });
      return undefined;
    }
  }

  /**
   * Runs the body, then records the outcome in meta.runs; a run with a failed step fails the
   * workflow (non-retryable: the steps already had their retries). A cancelled run is recorded
   * as cancelled, outside the cancelled scope.
   */
  async recorded(body: () => Promise<void>): Promise<RunSummary> {
    try {
      await body();
    } catch (error) {
      if (!isCancellation(error)) throw error;
      this.status = 'cancelled';
      await CancellationScope.nonCancellable(() => this.bookkeeping.recordRunEnd(this.outcome('cancelled', 'cancelled')));
      throw error;
    }
    const failed = [...this.steps.values()].filter((s) => s.status === 'failed');
    const error = failed.length > 0 ? failed.map((s) => `${s.id}: ${s.error}`).join('\n') : undefined;
    this.status = error ? 'failed' : 'succeeded';
    await this.bookkeeping.recordRunEnd(this.outcome(this.status, error));
    if (error) throw ApplicationFailure.nonRetryable(`run ${this.runId} failed:\n${error}`, 'RunFailed');
    return { runId: this.runId, status: 'succeeded', steps: [...this.steps.values()], rows: this.rows };
  }

  progress(): Progress {
    const steps = [...this.steps.values()];
    const ids = (status: StepRecord['status']) => steps.filter((s) => s.status === status).map((s) => s.id);
    return {
      workflow: this.workflow,
      runId: this.runId,
      status: this.status,
      done: ids('done'),
      running: ids('running'),
      failed: steps.filter((s) => s.status === 'failed').map((s) => ({ id: s.id, error: s.error ?? '' })),
      skipped: ids('skipped'),
      steps,
      rows: { ...this.rows },
      ...(this.window ? { backfill: { ...this.window } } : {}),
    };
  }

  private outcome(status: RunEndInput['status'], error: string | undefined): RunEndInput {
    return { runId: this.runId, status, error, steps: [...this.steps.values()] };
  }

  /** Adds an extract's counts to the run's, and returns them for its step record. */
  private count(output: unknown): { rows?: StepRecord['rows'] } {
    const o = output as { rowsRead?: number; rowsLoaded?: number; rowsQuarantined?: number; rowsSkipped?: number; status?: string } | undefined;
    if (typeof o?.rowsRead !== 'number') return {};
    const rows = { read: o.rowsRead, loaded: o.rowsLoaded ?? 0, quarantined: o.rowsQuarantined ?? 0, skipped: o.rowsSkipped ?? 0 };
    this.rows.read += rows.read;
    this.rows.loaded += rows.loaded;
    this.rows.quarantined += rows.quarantined;
    this.rows.skipped += rows.skipped;
    return { rows: { ...rows, absent: o.status === 'absent', ...(o.status === 'not_provided' ? { notProvided: true } : {}) } };
  }
}

/** The plan's waves, keeping only some steps (the others ran before or elsewhere). */
function wavesOf(plan: PlanStep[], keep: (step: PlanStep) => boolean): PlanStep[][] {
  return planWaves(plan)
    .map((wave) => wave.filter(keep))
    .filter((wave) => wave.length > 0);
}

/** The message a human needs: an activity failure's cause (the activity's own error). */
function messageOf(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string } };
  return e.cause?.message ?? e.message ?? String(error);
}

function checkedRange(from: string, to: string): Chunk {
  const isDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d));
  if (!isDate(from) || !isDate(to) || from >= to) {
    throw ApplicationFailure.nonRetryable(`invalid backfill range ${from} to ${to}: expected ISO dates, from before to (to is exclusive)`, 'InvalidInput');
  }
  return { from, to };
}

/** [from, to) cut at month starts: 2024-01-15..2024-03-10 → 01-15..02-01, 02-01..03-01, 03-01..03-10. */
function monthChunks(from: string, to: string): Chunk[] {
  const chunks: Chunk[] = [];
  for (let start = from; start < to; ) {
    const day = new Date(`${start}T00:00:00Z`);
    const nextMonth = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
    const end = nextMonth < to ? nextMonth : to;
    chunks.push({ from: start, to: end });
    start = end;
  }
  return chunks;
}
