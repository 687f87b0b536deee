/**
 * The executions the workflows are tested against, as the event sequences Temporal would record:
 * a nightly load that succeeds, one whose extract succeeds on its third attempt, one stopped by
 * a contract violation, and a two-month backfill that continues as new after each month.
 * Two entities keep them short: crm.customers (a full extract) and crm.interactions
 * (incremental, with a watermark). The workflow learns them from recordRunStart's result.
 *
 * These sequences follow the plan (../../../workflows/plan.ts): a change to the plan or to the
 * workflow code that schedules something else fails their replay, as it would fail runs in
 * flight. Make such a change with patched(), or deliberately, updating these sequences and the
 * recorded files (`UPDATE_HISTORIES=1 npx vitest run test/workflows/temporal`).
 */
import type { ExtractOutput } from '../../../workflows/activities.ts';
import type { BackfillInput, Carried } from '../../../workflows/temporal/workflows.ts';
import { applicationFailure, HistoryBuilder, type HistoryJson } from './history-builder.ts';

export const ENTITIES = [
  { source: 'crm', entity: 'customers' },
  { source: 'crm', entity: 'interactions' },
];
export const DATA_DIR = '/srv/crm-eval/data';
const START = { dataDir: DATA_DIR, entities: ENTITIES };

export function extracted(entity: string, rows: number, window: { from: string; to: string } | null = null): ExtractOutput {
  return {
    status: 'loaded', source: 'crm', entity, file: `${DATA_DIR}/crm/${entity}.csv`, rowsInFile: rows, rowsSkipped: 0, rowsRead: rows,
    rowsLoaded: rows, rowsQuarantined: 0, extraColumns: [], missingColumns: [], watermarkBefore: null, watermarkAfter: null, window, seconds: 1,
  };
}
const built = { models: [], seconds: 1 };

/** After the extracts: staging, marts, data tests, publish (one wave each), then the run is recorded. */
function rebuildAndFinish(h: HistoryBuilder): void {
  for (const activity of ['buildModels', 'buildModels', 'runDataTests', 'publishSnapshot']) {
    const [id] = h.scheduleActivities([activity]);
    h.completeActivity(id!, activity === 'publishSnapshot' ? { path: '/srv/w.published.duckdb', tables: 9, seconds: 1 } : { ...built, tests: 0, warnings: [] });
    h.workflowTask();
  }
  const [end] = h.scheduleActivities(['recordRunEnd']);
  h.completeActivity(end!);
  h.workflowTask();
}

function nightlyUntilExtracts(): { h: HistoryBuilder; customers: number; interactions: number } {
  const h = new HistoryBuilder({ workflowType: 'nightlyLoad', input: [{}] });
  h.workflowTask();
  const [start] = h.scheduleActivities(['recordRunStart']);
  h.completeActivity(start!, START);
  h.workflowTask();
  const [customers, interactions] = h.scheduleActivities(['extractEntity', 'extractEntity']);
  return { h, customers: customers!, interactions: interactions! };
}

export function nightlySucceeds(): HistoryJson {
  const { h, customers, interactions } = nightlyUntilExtracts();
  h.completeActivity(customers, extracted('customers', 5));
  h.completeActivity(interactions, extracted('interactions', 40));
  h.workflowTask();
  rebuildAndFinish(h);
  return h.completeWorkflow({ runId: 'nightly-1', status: 'succeeded' });
}

/** Two attempts failed on a transient error (no events: the server retried), the third succeeded. */
export function nightlyRetriesAnExtract(): HistoryJson {
  const { h, customers, interactions } = nightlyUntilExtracts();
  h.completeActivity(customers, extracted('customers', 5));
  const transient = applicationFailure('IO Error: could not read data/crm/interactions.csv', 'Error');
  h.completeActivity(interactions, extracted('interactions', 40), { attempt: 3, lastFailure: transient });
  h.workflowTask();
  rebuildAndFinish(h);
  return h.completeWorkflow({ runId: 'nightly-1', status: 'succeeded' });
}

/** A required column is missing: non-retryable, the rebuild is skipped, the run fails. */
export const MISSING_COLUMN = 'crm.interactions (/srv/crm-eval/data/crm/interactions.csv): missing required column(s) occurred_at';
export function nightlyStopsOnAContractViolation(): HistoryJson {
  const { h, customers, interactions } = nightlyUntilExtracts();
  h.completeActivity(customers, extracted('customers', 5));
  h.failActivity(interactions, applicationFailure(MISSING_COLUMN, 'LoadError', true));
  h.workflowTask();
  const [end] = h.scheduleActivities(['recordRunEnd']);
  h.completeActivity(end!);
  h.workflowTask();
  return h.failWorkflow(applicationFailure(`run nightly-1 failed:\nextract:crm.interactions: ${MISSING_COLUMN}`, 'RunFailed', true));
}

export const BACKFILL_INPUT: BackfillInput = { from: '2024-01-01', to: '2024-03-01', chunksPerRun: 1 };
const JANUARY = { from: '2024-01-01', to: '2024-02-01' };
const FEBRUARY = { from: '2024-02-01', to: '2024-03-01' };

/**
 * January in the first execution (both entities; customers is a full extract and says so by
 * applying no window), then continue-as-new; February (interactions only) and the rebuild in
 * the second.
 */
export function backfillContinuesAsNew(): { first: HistoryJson; second: HistoryJson; carriedInput: BackfillInput } {
  const h = new HistoryBuilder({ workflowType: 'backfill', input: [BACKFILL_INPUT] });
  h.workflowTask();
  const [start] = h.scheduleActivities(['recordRunStart']);
  h.completeActivity(start!, START);
  h.workflowTask();
  const [customers, interactions] = h.scheduleActivities(['extractEntity', 'extractEntity']);
  h.completeActivity(customers!, extracted('customers', 5, null));
  h.completeActivity(interactions!, extracted('interactions', 20, JANUARY));
  h.workflowTask();
  const carried: Carried = {
    start: START,
    window: { from: BACKFILL_INPUT.from, to: BACKFILL_INPUT.to },
    chunksTotal: 2,
    chunksDone: 1,
    windowed: ['extract:crm.interactions'],
    steps: [
      { id: 'extract:crm.customers@2024-01-01', status: 'done', seconds: 3, error: null },
      { id: 'extract:crm.interactions@2024-01-01', status: 'done', seconds: 4, error: null },
    ],
    rows: { read: 25, loaded: 25, quarantined: 0, skipped: 0 },
  };
  const carriedInput: BackfillInput = { ...BACKFILL_INPUT, runId: 'backfill-1', from: FEBRUARY.from, carried };
  const first = h.continueAsNew(carriedInput, 'second-run');

  const g = new HistoryBuilder({ workflowType: 'backfill', input: [carriedInput], continuedExecutionRunId: 'first-run' });
  g.workflowTask();
  const [february] = g.scheduleActivities(['extractEntity']);
  g.completeActivity(february!, extracted('interactions', 18, FEBRUARY));
  g.workflowTask();
  rebuildAndFinish(g);
  const second = g.completeWorkflow({ runId: 'backfill-1', status: 'succeeded' });
  return { first, second, carriedInput };
}

/** Every scenario under the workflow id it runs as: the recorded files are these. */
export function allHistories(): Array<{ name: string; workflowId: string; history: HistoryJson }> {
  const backfill = backfillContinuesAsNew();
  return [
    { name: 'nightly-succeeds', workflowId: 'nightly-1', history: nightlySucceeds() },
    { name: 'nightly-retries-an-extract', workflowId: 'nightly-1', history: nightlyRetriesAnExtract() },
    { name: 'nightly-stops-on-a-contract-violation', workflowId: 'nightly-1', history: nightlyStopsOnAContractViolation() },
    { name: 'backfill-1-first-run', workflowId: 'backfill-1', history: backfill.first },
    { name: 'backfill-2-continued', workflowId: 'backfill-1', history: backfill.second },
  ];
}
