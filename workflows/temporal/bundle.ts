/**
 * The workflow code as one prebuilt bundle: production workers load it (--workflow-bundle)
 * instead of compiling workflows.ts at start, so the code that was replay-tested
 * (`crm-eval replay --bundle`) is byte for byte the code that runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOWS_PATH } from './worker.ts';

export const DEFAULT_BUNDLE = 'dist/workflow-bundle.js';

export async function writeWorkflowBundle(out = DEFAULT_BUNDLE): Promise<{ path: string; bytes: number }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  return { path: out, bytes: Buffer.byteLength(code) };
}
