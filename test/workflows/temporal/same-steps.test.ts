/**
 * One plan, two runners: the workflow code, replayed against executions recorded on a real
 * server (activities answered by the history), and the embedded runner (with recording stubs)
 * call the same activities with the same inputs in the same order.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { InjectedSinks } from '@temporalio/worker';
import { entities } from '../../../sources/catalog.ts';
import type { RunStartOutput } from '../../../workflows/activities.ts';
import { pipelinePlan } from '../../../workflows/plan.ts';
import { runPlan } from '../../../workflows/embedded/runner.ts';
import type { CallSinks } from './record-calls.ts';
import { decoded, recorded, type Recorded } from './recorded.ts';
import { bundle, RECORD_CALLS_PATH, replay } from './replay-helpers.ts';

let code: string;
beforeAll(async () => {
  ({ code } = await bundle({ workflowInterceptorModules: [RECORD_CALLS_PATH] }));
});

type Call = { activity: string; input: unknown };

/** What the workflow code scheduled while replaying a recorded execution, activity by activity. */
async function workflowCalls({ workflowId, history }: Recorded): Promise<Call[]> {
  const calls: Call[] = [];
  const sinks: InjectedSinks<CallSinks> = {
    calls: { scheduled: { fn: (_info, activity, input) => void calls.push({ activity, input }), callDuringReplay: true } },
  };
  const [result] = await replay({ workflowBundle: { code }, sinks }, [{ workflowId, history }]);
  expect(result!.error).toBeUndefined();
  return calls;
}

/** The run's start as the worker answered it: the data folder and the entities. */
function runStart({ history }: Recorded): RunStartOutput {
  const completed = history.events.find((e) => e.activityTaskCompletedEventAttributes) as { activityTaskCompletedEventAttributes: { result: unknown } };
  return decoded(completed.activityTaskCompletedEventAttributes.result)[0] as RunStartOutput;
}

/** What the embedded runner calls for the same plan, with activities that record (and fail one entity). */
async function embeddedCalls(runId: string, dataDir: string, failing?: string): Promise<Call[]> {
  const calls: Call[] = [];
  const record = (activity: string) => async (input: unknown) => {
    calls.push({ activity, input });
    if (failing && (input as { entity?: string }).entity === failing) throw new Error('missing required column');
    return {};
  };
  const stubs = { extractEntity: record('extractEntity'), buildModels: record('buildModels'), runDataTests: record('runDataTests'), publishSnapshot: record('publishSnapshot') };
  await runPlan(pipelinePlan({ entities, reports: false }), stubs as never, { runId, dataDir });
  return calls;
}

describe('the same plan on both runners', () => {
  it('a successful run: the same steps, inputs and order, between recording the run start and end', async () => {
    const execution = recorded('nightly-succeeds');
    const workflow = await workflowCalls(execution);
    expect(workflow[0]).toEqual({ activity: 'recordRunStart', input: { runId: execution.workflowId, runner: 'temporal:nightlyLoad' } });
    expect(workflow.slice(1, -1)).toEqual(await embeddedCalls(execution.workflowId, runStart(execution).dataDir));
    expect(workflow.at(-1)).toMatchObject({ activity: 'recordRunEnd', input: { runId: execution.workflowId, status: 'succeeded' } });
  });

  it('a failed extract: both run the other extracts and nothing downstream; the run is recorded failed', async () => {
    const execution = recorded('nightly-stops-on-a-contract-violation');
    const workflow = await workflowCalls(execution);
    expect(workflow.slice(1, -1)).toEqual(await embeddedCalls(execution.workflowId, runStart(execution).dataDir, 'orders'));
    const end = workflow.at(-1)!;
    expect(end.activity).toBe('recordRunEnd');
    expect(end.input).toMatchObject({ runId: execution.workflowId, status: 'failed', error: expect.stringMatching(/^extract:crm\.orders: .*missing required column\(s\) amount/) });
    const steps = (end.input as { steps: Array<{ id: string; status: string }> }).steps;
    expect(steps.filter((s) => s.status !== 'done').map((s) => `${s.id}=${s.status}`)).toEqual([
      'extract:crm.orders=failed', 'transform:staging=skipped', 'transform:marts=skipped', 'test=skipped', 'publish=skipped',
    ]);
  });

  it('a backfill: the plan’s extracts month by month, each month a load of its own, then one rebuild', async () => {
    const first = recorded('backfill-1-continued-as-new');
    const calls = [...(await workflowCalls(first)), ...(await workflowCalls(recorded('backfill-2-completed')))];
    const runId = first.workflowId;
    const { dataDir } = runStart(first);
    const january = { from: '2024-01-01', to: '2024-02-01' };
    const february = { from: '2024-02-01', to: '2024-03-01' };
    const extract = (month: typeof january) => (e: { source: string; entity: string }) => ({
      activity: 'extractEntity',
      input: { runId: `${runId}@${month.from}`, dataDir, source: e.source, entity: e.entity, window: month },
    });
    expect(calls).toEqual([
      { activity: 'recordRunStart', input: { runId, runner: 'temporal:backfill 2024-01-01..2024-03-01' } },
      ...entities.map(extract(january)),
      // continue-as-new; full extracts (no watermark) applied no window: loaded once, in January
      ...entities.filter((e) => e.watermark).map(extract(february)),
      { activity: 'buildModels', input: { runId, layer: 'staging' } },
      { activity: 'buildModels', input: { runId, layer: 'marts' } },
      { activity: 'runDataTests', input: { runId } },
      { activity: 'publishSnapshot', input: { runId } },
      { activity: 'recordRunEnd', input: expect.objectContaining({ runId, status: 'succeeded' }) },
    ]);
  });
});
