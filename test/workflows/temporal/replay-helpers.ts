/** Bundling workflow code once per test file and replaying histories with a time limit. */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import type { HistoryJson } from './recorded.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../../workflows/temporal/workflows.ts', import.meta.url));
export const RECORD_CALLS_PATH = fileURLToPath(new URL('./record-calls.ts', import.meta.url));

let runtimeInstalled = false;
/**
 * Core's logs (worker state changes, the expected non-determinism warnings) would drown the
 * test output; the replay results carry the errors.
 */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
    shutdownSignals: [],
  });
  runtimeInstalled = true;
}

export async function bundle(options: Partial<Parameters<typeof bundleWorkflowCode>[0]> = {}) {
  quietRuntime();
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('ERROR'), ...options });
}

export interface Replayed {
  workflowId: string;
  error?: Error;
}

/**
 * Replays histories; a history missing workflowType or taskQueue would make replay hang, hence
 * the time limit.
 */
export async function replay(
  options: ReplayWorkerOptions,
  histories: Array<{ workflowId: string; history: HistoryJson }>,
  timeoutMs = 20_000,
): Promise<Replayed[]> {
  quietRuntime();
  const results: Replayed[] = [];
  const run = (async () => {
    for await (const result of Worker.runReplayHistories(options, histories)) results.push({ workflowId: result.workflowId, error: result.error as Error | undefined });
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`replay did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
  return results;
}
