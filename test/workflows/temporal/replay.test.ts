/**
 * The workflows, tested by replay: the workflow code is run against histories of the executions
 * it must produce (scenarios.ts) and must ask for exactly what each history records. This is
 * also how a new version is checked before rollout (`npm run replay`), and the recorded files in
 * histories/ are those histories.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeterminismViolationError } from '@temporalio/workflow';
import { allHistories, nightlySucceeds } from './scenarios.ts';
import { bundle, replay } from './replay-helpers.ts';

const HISTORIES_DIR = fileURLToPath(new URL('./histories/', import.meta.url));
const PLAN_PATH = fileURLToPath(new URL('../../../workflows/plan.ts', import.meta.url));

let code: string;
beforeAll(async () => {
  ({ code } = await bundle());
});

describe('replaying the expected executions', () => {
  for (const { name, workflowId, history } of allHistories()) {
    it(`${name}: the workflow code asks for exactly what the history records`, async () => {
      const [result] = await replay({ workflowBundle: { code } }, [{ workflowId, history }]);
      expect(result!.error).toBeUndefined();
    });
  }

  it('the recorded histories are these executions (UPDATE_HISTORIES=1 rewrites them)', () => {
    for (const { name, workflowId, history } of allHistories()) {
      const file = join(HISTORIES_DIR, `${name}.json`);
      const recorded = { workflowId, ...history };
      if (process.env.UPDATE_HISTORIES) writeFileSync(file, `${JSON.stringify(recorded, null, 1)}\n`);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(recorded);
    }
    expect(readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'))).toHaveLength(allHistories().length);
  });
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
  it('a renamed activity', async () => {
    const changed = await bundleWithChangedPlan(`
      export function activityCall(...args: Parameters<typeof original.activityCall>) {
        const call = original.activityCall(...args);
        return call.activity === 'runDataTests' ? { ...call, activity: 'runChecks' } : call;
      }`);
    const [result] = await replay({ workflowBundle: { code: changed } }, [{ workflowId: 'nightly-1', history: nightlySucceeds() }]);
    expect(result!.error).toBeInstanceOf(DeterminismViolationError);
    expect(result!.error!.message).toMatch(/runChecks|runDataTests/);
  });

  it('reordered activities (data tests before the marts)', async () => {
    const changed = await bundleWithChangedPlan(`
      const dependsOn: Record<string, string[]> = { test: ['transform:staging'], 'transform:marts': ['test'], publish: ['transform:marts'] };
      export function pipelinePlan(options: Parameters<typeof original.pipelinePlan>[0]) {
        return original.pipelinePlan(options).map((step) => (dependsOn[step.id] ? { ...step, dependsOn: dependsOn[step.id]! } : step));
      }`);
    const [result] = await replay({ workflowBundle: { code: changed } }, [{ workflowId: 'nightly-1', history: nightlySucceeds() }]);
    expect(result!.error).toBeInstanceOf(DeterminismViolationError);
  });

  it('but an unchanged copy replays cleanly (the check above is not an artefact of the copy)', async () => {
    const same = await bundleWithChangedPlan('');
    const [result] = await replay({ workflowBundle: { code: same } }, [{ workflowId: 'nightly-1', history: nightlySucceeds() }]);
    expect(result!.error).toBeUndefined();
  });
});
