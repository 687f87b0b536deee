/**
 * The workflows, tested by replay: the workflow code is run against the histories of real
 * executions (histories/, recorded on a Temporal server by `npm run record-histories`) and must
 * ask for exactly what each history records. This is also how a new version is checked before
 * rollout (`npm run replay`): a history that no longer replays is a run in flight the new code
 * would break.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeterminismViolationError } from '@temporalio/workflow';
import { largestPayload } from './history-payloads.ts';
import { recorded, recordedHistories } from './recorded.ts';
import { bundle, replay } from './replay-helpers.ts';

const PLAN_PATH = fileURLToPath(new URL('../../../workflows/plan.ts', import.meta.url));

let code: string;
beforeAll(async () => {
  ({ code } = await bundle());
});

describe('replaying the recorded executions', () => {
  it('the corpus covers success, a retried extract, a contract violation, a cancellation and a backfill across continue-as-new', () => {
    expect(recordedHistories().map((h) => h.name)).toEqual([
      'backfill-1-continued-as-new',
      'backfill-2-completed',
      'nightly-cancelled',
      'nightly-retries-an-extract',
      'nightly-stops-on-a-contract-violation',
      'nightly-succeeds',
    ]);
  });

  for (const { name, workflowId, history } of recordedHistories()) {
    it(`${name}: the workflow code asks for exactly what the history records, and passes no payload over 64 KB`, async () => {
      const [result] = await replay({ workflowBundle: { code } }, [{ workflowId, history }]);
      expect(result!.error).toBeUndefined();
      expect(largestPayload(history).bytes).toBeLessThan(64 * 1024);
    });
  }
});

/**
 * The same workflow file, bundled with the plan replaced by a changed copy: what a careless
 * edit of the plan or the workflow would ship. Replaying a history of the current version
 * against it must fail, as it would fail every run in flight.
 */
async function bundleWithChangedPlan(change: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-eval-changed-plan-'));
  copyFileSync(PLAN_PATH, join(dir, 'original-plan.ts'));
  writeFileSync(join(dir, 'plan.ts'), `export * from './original-plan.ts';\nimport * as original from './original-plan.ts';\n${change}\n`);
  const changed = await bundle({
    webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, alias: { ...config.resolve?.alias, [PLAN_PATH]: join(dir, 'plan.ts') } } }),
  });
  return changed.code;
}

describe('replay catches a non-deterministic change', () => {
  const { workflowId, history } = recorded('nightly-succeeds');

  it('a renamed activity', async () => {
    const changed = await bundleWithChangedPlan(`
      export function activityCall(...args: Parameters<typeof original.activityCall>) {
        const call = original.activityCall(...args);
        return call.activity === 'runDataTests' ? { ...call, activity: 'runChecks' } : call;
      }`);
    const [result] = await replay({ workflowBundle: { code: changed } }, [{ workflowId, history }]);
    expect(result!.error).toBeInstanceOf(DeterminismViolationError);
    expect(result!.error!.message).toMatch(/runChecks|runDataTests/);
  });

  it('reordered activities (data tests before the marts)', async () => {
    const changed = await bundleWithChangedPlan(`
      const dependsOn: Record<string, string[]> = { test: ['transform:staging'], 'transform:marts': ['test'], publish: ['transform:marts'] };
      export function pipelinePlan(options: Parameters<typeof original.pipelinePlan>[0]) {
        return original.pipelinePlan(options).map((step) => (dependsOn[step.id] ? { ...step, dependsOn: dependsOn[step.id]! } : step));
      }`);
    const [result] = await replay({ workflowBundle: { code: changed } }, [{ workflowId, history }]);
    expect(result!.error).toBeInstanceOf(DeterminismViolationError);
  });

  it('an extra step (a new activity after publishing)', async () => {
    const changed = await bundleWithChangedPlan(`
      export function pipelinePlan(options: Parameters<typeof original.pipelinePlan>[0]) {
        return original.pipelinePlan({ ...options, reports: true });
      }`);
    const [result] = await replay({ workflowBundle: { code: changed } }, [{ workflowId, history }]);
    expect(result!.error).toBeInstanceOf(DeterminismViolationError);
  });

  it('but an unchanged copy replays cleanly (the checks above are not an artefact of the copy)', async () => {
    const same = await bundleWithChangedPlan('');
    const [result] = await replay({ workflowBundle: { code: same } }, [{ workflowId, history }]);
    expect(result!.error).toBeUndefined();
  });
});
