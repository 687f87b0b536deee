/** `crm-eval start nightly|backfill`: starts a run on Temporal by hand and says how to watch it. */
import { connectClient, temporalSettings, type TemporalFlags } from '../../workflows/temporal/connection.ts';
import { manualRunId, startBackfill, startNightly } from '../../workflows/temporal/client.ts';
import { validateRunId } from '../../workflows/run-id.ts';

export interface StartWorkflowFlags extends TemporalFlags {
  /** only when given on the command line: otherwise the worker's --data (paths are the worker host's) */
  data?: string;
  runId?: string;
  skipReports?: boolean;
  from?: string;
  to?: string;
}

const isDate = (d: string | undefined) => d !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d));

export async function startWorkflowCommand(workflow: 'nightly' | 'backfill', flags: StartWorkflowFlags): Promise<void> {
  if (flags.runId !== undefined) validateRunId(flags.runId, '--run-id');
  if (workflow === 'backfill' && !(isDate(flags.from) && isDate(flags.to) && flags.from! < flags.to!)) {
    throw Object.assign(new Error('backfill needs --from and --to, ISO dates with from before to (to is exclusive), e.g. --from 2024-01-01 --to 2024-04-01'), { exitCode: 2 });
  }
  const settings = temporalSettings(flags);
  const client = await connectClient(settings);
  try {
    const common = { dataDir: flags.data, reports: !flags.skipReports };
    const handle =
      workflow === 'nightly'
        ? await startNightly(client, settings, { ...common, runId: flags.runId ?? manualRunId('nightly') })
        : await startBackfill(client, settings, {
            ...common,
            from: flags.from!,
            to: flags.to!,
            runId: flags.runId ?? manualRunId('backfill', new Date(), { from: flags.from!, to: flags.to! }),
          });
    console.log(`Started ${workflow === 'nightly' ? 'nightlyLoad' : `backfill ${flags.from} to ${flags.to} (exclusive)`} on ${settings.address}, task queue ${settings.taskQueue}.`);
    console.log(`Run id: ${handle.workflowId}\nWatch it: crm-eval status ${handle.workflowId}`);
  } finally {
    await client.connection.close();
  }
}
