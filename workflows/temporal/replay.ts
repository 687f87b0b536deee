/**
 * Deploying a new version safely: replay recorded histories against the new workflow code
 * before rollout. A history that no longer replays means the new code would fail the runs in
 * flight that it describes (guard the change with patched(), or drain those runs first).
 * Histories are the JSON that `temporal workflow show --workflow-id ID --output json` prints;
 * test/workflows/temporal/histories/ holds one per tested execution.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from './worker.ts';

export interface ReplayOutcome {
  file: string;
  workflowId: string;
  error?: string;
}

/** Every .json file named, or inside a folder named. */
export function historyFiles(paths: string[]): string[] {
  return paths.flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path).filter((f) => f.endsWith('.json')).sort().map((f) => join(path, f))
      : [path],
  );
}

/**
 * Replays each file against the workflow code (or a prebuilt bundle: replay what you deploy).
 * A malformed history can make replay wait forever, hence the time limit.
 */
export async function replayFiles(files: string[], options: { bundlePath?: string; timeoutMs?: number } = {}): Promise<ReplayOutcome[]> {
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } }, shutdownSignals: [] });
  const histories = files.map((file) => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { workflowId?: string; events: unknown[] };
    return { file, workflowId: json.workflowId ?? file, history: { events: json.events } };
  });
  const workflows = options.bundlePath ? { workflowBundle: { codePath: options.bundlePath } } : { workflowsPath: WORKFLOWS_PATH };
  const outcomes: ReplayOutcome[] = [];
  const replaying = (async () => {
    let index = 0;
    for await (const result of Worker.runReplayHistories({ ...workflows, replayName: 'crm-eval-replay' }, histories)) {
      const { file } = histories[index++]!;
      outcomes.push({ file, workflowId: result.workflowId, ...(result.error ? { error: `${result.error.name}: ${result.error.message}` } : {}) });
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`replay did not finish within ${timeoutMs / 1000} s: is a history missing workflowType or taskQueue?`)), timeoutMs);
  });
  try {
    await Promise.race([replaying, timeout]);
  } finally {
    clearTimeout(timer);
  }
  return outcomes;
}
