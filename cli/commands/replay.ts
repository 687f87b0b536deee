/** `crm-eval replay` and `crm-eval bundle-workflows`: check and package workflow code before rollout. */
import { historyFiles, replayFiles } from '../../workflows/temporal/replay.ts';
import { writeWorkflowBundle } from '../../workflows/temporal/bundle.ts';

export async function replayCommand(paths: string[], flags: { bundle?: string }): Promise<void> {
  const files = historyFiles(paths.length > 0 ? paths : ['test/workflows/temporal/histories']);
  const outcomes = await replayFiles(files, { bundlePath: flags.bundle });
  for (const o of outcomes) console.log(`${o.error ? 'FAIL' : 'ok  '} ${o.file}${o.error ? `\n     ${o.error.split('\n')[0]}` : ''}`);
  const failed = outcomes.filter((o) => o.error).length;
  console.log(`${outcomes.length - failed} of ${outcomes.length} histories replay against ${flags.bundle ?? 'workflows/temporal/workflows.ts'}.`);
  if (failed > 0) throw Object.assign(new Error(`${failed} histories do not replay: this code would break those runs`), { exitCode: 1 });
}

export async function bundleCommand(flags: { out: string }): Promise<void> {
  const { path, bytes } = await writeWorkflowBundle(flags.out);
  console.log(`Wrote ${path} (${(bytes / 1e6).toFixed(1)} MB): run workers with --workflow-bundle ${path}; check it with crm-eval replay --bundle ${path}`);
}
