/** `crm-eval status RUN`: a Temporal run's state and progress (steps, rows so far). */
import { connectClient, temporalSettings, type TemporalFlags } from '../../workflows/temporal/connection.ts';
import { formatStatus, runStatus } from '../../workflows/temporal/client.ts';

export async function statusCommand(runId: string, flags: TemporalFlags): Promise<void> {
  const client = await connectClient(temporalSettings(flags));
  try {
    console.log(formatStatus(await runStatus(client, runId)));
  } finally {
    await client.connection.close();
  }
}
