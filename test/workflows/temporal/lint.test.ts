/** The lint rule that keeps workflow code replayable fires on what it must, and only there. */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function problems(code: string, filePath = 'workflows/temporal/workflows.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('workflow code imports', () => {
  it.each([
    [`import { readFileSync } from 'node:fs';`, /no Node built-ins/],
    [`import { join } from 'path';`, /no Node built-ins/],
    [`import { loadEntity } from '../../sources/load/load-entity.ts';`, /do this in an activity/],
    [`import { buildModel } from '../../transforms/framework/build.ts';`, /do this in an activity/],
    [`import { Warehouse } from '../../warehouse/warehouse.ts';`, /do this in an activity/],
    [`import { loadConfig } from '../../config/load.ts';`, /do this in an activity/],
    [`import { createActivities } from '../activities.ts';`, /do this in an activity/],
  ])('refuses %s', async (code, message) => {
    const found = await problems(code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^@typescript-eslint\/no-restricted-imports: /);
    expect(found[0]).toMatch(message);
  });

  it('allows @temporalio/workflow, the plan and types', async () => {
    expect(
      await problems(`
        import { proxyActivities } from '@temporalio/workflow';
        import { pipelinePlan } from '../plan.ts';
        import type { Activities } from '../activities.ts';
        import type { LoadResult } from '../../sources/load/load-entity.ts';`),
    ).toEqual([]);
  });

  it('passes for the workflow files as they are, and leaves other files alone', async () => {
    const results = await eslint.lintFiles(['workflows/temporal/workflows.ts', 'workflows/plan.ts']);
    expect(results.flatMap((r) => r.messages)).toEqual([]);
    const [worker] = await eslint.lintText(`import { readFileSync } from 'node:fs';`, { filePath: 'workflows/temporal/worker.ts' });
    expect(worker!.errorCount).toBe(0); // the worker, the client and activities run in Node
  });
});
