/** `crm-eval schedule apply|describe|pause|unpause|trigger|delete`: the nightly schedule as code. */
import { loadConfig } from '../../config/load.ts';
import { connectClient, temporalSettings, type TemporalFlags } from '../../workflows/temporal/connection.ts';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { applySchedule, nightlySchedule, SCHEDULE_ID } from '../../workflows/temporal/client.ts';

export type ScheduleAction = 'apply' | 'describe' | 'pause' | 'unpause' | 'trigger' | 'delete';

export async function scheduleCommand(action: ScheduleAction, flags: TemporalFlags & { config?: string; note?: string; skipReports?: boolean }): Promise<void> {
  const { config, file } = loadConfig(flags.config);
  const settings = temporalSettings(flags);
  const client = await connectClient(settings);
  const handle = client.schedule.getHandle(SCHEDULE_ID);
  const note = flags.note ?? `crm-eval schedule ${action}`;
  try {
    switch (action) {
      case 'apply': {
        const outcome = await applySchedule(client, nightlySchedule(config.schedule, settings, { reports: !flags.skipReports }));
        const { cron, time_zone, catchup_window } = config.schedule;
        console.log(
          `Schedule ${SCHEDULE_ID} ${outcome}: nightlyLoad${flags.skipReports ? ' (no report site)' : ''} at "${cron}" ${time_zone}, catch-up window ${catchup_window}, overlap skip (configuration ${file ?? 'defaults'}).`,
        );
        break;
      }
      case 'describe': {
        const d = await handle.describe();
        console.log(`Schedule ${SCHEDULE_ID}: ${d.state.paused ? `PAUSED (${d.state.note ?? ''})` : 'active'}`);
        console.log(`  time zone ${d.spec.timezone ?? 'UTC'}, overlap ${d.policies.overlap}, catch-up window ${d.policies.catchupWindow / 3_600_000} h`);
        console.log(`  next: ${d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()).join(', ') || '-'}`);
        for (const a of d.info.recentActions.slice(-5)) console.log(`  ran: ${a.takenAt.toISOString()} → ${a.action.workflow.workflowId}`);
        for (const r of d.info.runningActions) console.log(`  running: ${r.workflow.workflowId}`);
        break;
      }
      case 'pause':
        await handle.pause(note);
        console.log(`Schedule ${SCHEDULE_ID} paused.`);
        break;
      case 'unpause':
        await handle.unpause(note);
        console.log(`Schedule ${SCHEDULE_ID} unpaused.`);
        break;
      case 'trigger':
        // The SDK's default for a trigger is ALLOW_ALL; the schedule's own policy is SKIP.
        await handle.trigger(ScheduleOverlapPolicy.SKIP);
        console.log(`Schedule ${SCHEDULE_ID} triggered: a nightlyLoad starts now (skipped if one is running).`);
        break;
      case 'delete':
        await handle.delete();
        console.log(`Schedule ${SCHEDULE_ID} deleted.`);
        break;
    }
  } finally {
    await client.connection.close();
  }
}
