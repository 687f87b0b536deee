/**
 * One plan, two runners: the workflow code (replayed, with every activity answered by the
 * history, so activities are stubbed at the boundary) and the embedded runner (with recording
 * stubs) call the same activities with the same inputs in the same order.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { InjectedSinks } from '@temporalio/worker';
import { pipelinePlan } from '../../../workflows/plan.ts';
import { runPlan } from '../../../workflows/embedded/runner.ts';
import type { CallSinks } from './record-calls.ts';
import { backfillContinuesAsNew, DATA_DIR, ENTITIES, MISSING_COLUMN, nightlyStopsOnAContractViolation, nightlySucceeds } from './scenarios.ts';
import type { HistoryJson } from './history-builder.ts';
import { bundle, RECORD_CALLS_PATH, replay } from './replay-helpers.ts';

let code: string;
beforeAll(async () => {
  ({ code } = await bundle({ workflowInterceptorModules: [RECORD_CALLS_PATH] }));
});

/** What the workflow code scheduled while replaying `history`, activity by activity. */
async function workflowCalls(history: HistoryJson, workflowId = 'nightly-1'): Promise<Array<{ activity: string; input: unknown }>> {
  const calls: Array<{ activity: string; input: unknown }> = [];
  const sinks: InjectedSinks<CallSinks> = {
    calls: { scheduled: { fn: (_info, activity, input) => void calls.push({ activity, input }), callDuringReplay: true } },
  };
  const [result] = await replay({ workflowBundle: { code }, sinks }, [{ workflowId, history }]);
  expect(result!.error).toBeUndefined();
  return calls;
}

/** What the embedded runner calls for the same plan, with activities that record and succeed. */
async function embeddedCalls(failing?: string): Promise<Array<{ activity: string; input: unknown }>> {
  const calls: Array<{ activity: string; input: unknown }> = [];
  const record = (activity: string) => async (input: unknown) => {
    calls.push({ activity, input });
    if (failing && JSON.stringify(input).includes(failing)) throw new Error(MISSING_COLUMN);
    return {};
  };
  const stubs = { extractEntity: record('extractEntity'), buildModels: record('buildModels'), runDataTests: record('runDataTests'), publishSnapshot: record('publishSnapshot') };
  await runPlan(pipelinePlan({ entities: ENTITIES, reports: false }), stubs as never, { runId: 'nightly-1', dataDir: DATA_DIR });
  return calls;
}

describe('the same plan on both runners', () => {
  it('a successful run: the same steps, inputs and order, between recording the run start and end', async () => {
    const workflow = await workflowCalls(nightlySucceeds());
    expect(workflow.map((c) => c.activity)).toEqual([
      'recordRunStart', 'extractEntity', 'extractEntity', 'buildModels', 'buildModels', 'runDataTests', 'publishSnapshot', 'recordRunEnd',
    ]);
    expect(workflow.slice(1, -1)).toEqual(await embeddedCalls());
    expect(workflow[0]!.input).toEqual({ runId: 'nightly-1', runner: 'temporal:nightlyLoad' });
  });

  it('a failed extract: both run the other extracts and nothing downstream; the run is recorded failed', async () => {
    const workflow = await workflowCalls(nightlyStopsOnAContractViolation());
    expect(workflow.slice(1, -1)).toEqual(await embeddedCalls('interactions'));
    const end = workflow.at(-1)!;
    expect(end.activity).toBe('recordRunEnd');
    expect(end.input).toMatchObject({
      runId: 'nightly-1',
      status: 'failed',
      error: `extract:crm.interactions: ${MISSING_COLUMN}`,
    });
    expect((end.input as { steps: Array<{ id: string; status: string }> }).steps.map((s) => `${s.id}=${s.status}`)).toEqual([
      'extract:crm.customers=done', 'extract:crm.interactions=failed', 'transform:staging=skipped', 'transform:marts=skipped', 'test=skipped', 'publish=skipped',
    ]);
  });

  it('a backfill: the plan’s extracts month by month, each month a load of its own, then one rebuild', async () => {
    const { first, second } = backfillContinuesAsNew();
    const calls = [...(await workflowCalls(first, 'backfill-1')), ...(await workflowCalls(second, 'backfill-1'))];
    const january = { from: '2024-01-01', to: '2024-02-01' };
    const february = { from: '2024-02-01', to: '2024-03-01' };
    expect(calls).toEqual([
      { activity: 'recordRunStart', input: { runId: 'backfill-1', runner: 'temporal:backfill 2024-01-01..2024-03-01' } },
      { activity: 'extractEntity', input: { runId: 'backfill-1@2024-01-01', dataDir: DATA_DIR, source: 'crm', entity: 'customers', window: january } },
      { activity: 'extractEntity', input: { runId: 'backfill-1@2024-01-01', dataDir: DATA_DIR, source: 'crm', entity: 'interactions', window: january } },
      // continue-as-new; customers is a full extract (it applied no window): loaded once, in January
      { activity: 'extractEntity', input: { runId: 'backfill-1@2024-02-01', dataDir: DATA_DIR, source: 'crm', entity: 'interactions', window: february } },
      { activity: 'buildModels', input: { runId: 'backfill-1', layer: 'staging' } },
      { activity: 'buildModels', input: { runId: 'backfill-1', layer: 'marts' } },
      { activity: 'runDataTests', input: { runId: 'backfill-1' } },
      { activity: 'publishSnapshot', input: { runId: 'backfill-1' } },
      { activity: 'recordRunEnd', input: expect.objectContaining({ runId: 'backfill-1', status: 'succeeded' }) },
    ]);
    const steps = (calls.at(-1)!.input as { steps: Array<{ id: string }> }).steps.map((s) => s.id);
    expect(steps.slice(0, 3)).toEqual(['extract:crm.customers@2024-01-01', 'extract:crm.interactions@2024-01-01', 'extract:crm.interactions@2024-02-01']);
  });
});
