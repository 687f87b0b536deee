/** Connection settings, the nightly schedule and the status display: no server needed. */
import { describe, expect, it } from 'vitest';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { parseConfig } from '../../../config/load.ts';
import { temporalSettings } from '../../../workflows/temporal/connection.ts';
import { formatStatus, manualRunId, nightlySchedule } from '../../../workflows/temporal/client.ts';

describe('connection settings', () => {
  it('come from flags, then TEMPORAL_* variables, then defaults', () => {
    expect(temporalSettings({}, {})).toMatchObject({ address: 'localhost:7233', namespace: 'default', taskQueue: 'crm-eval', activityTaskQueue: 'crm-eval', connectTimeoutMs: 5000 });
    const env = { TEMPORAL_ADDRESS: 'acme.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'acme.a1b2c', TEMPORAL_API_KEY: 'k', TEMPORAL_ACTIVITY_TASK_QUEUE: 'warehouse-host-1' };
    expect(temporalSettings({ namespace: 'other' }, env)).toMatchObject({ address: 'acme.a1b2c.tmprl.cloud:7233', namespace: 'other', apiKey: 'k', activityTaskQueue: 'warehouse-host-1' });
  });

  it('refuse half an mTLS pair', () => {
    expect(() => temporalSettings({ tlsCert: 'client.pem' }, {})).toThrow(/both a client certificate and its key/);
  });
});

describe('the nightly schedule', () => {
  it('takes cron, time zone and catch-up window from the configuration and skips overlaps', () => {
    const config = parseConfig({ schedule: { cron: '30 1 * * *', time_zone: 'Asia/Shanghai' } });
    const options = nightlySchedule(config.schedule, temporalSettings({ activityTaskQueue: 'warehouse-host-1' }, {}));
    expect(options).toMatchObject({
      scheduleId: 'crm-eval-nightly',
      spec: { cronExpressions: ['30 1 * * *'], timezone: 'Asia/Shanghai' },
      action: { type: 'startWorkflow', workflowType: 'nightlyLoad', taskQueue: 'crm-eval', args: [{ activityTaskQueue: 'warehouse-host-1' }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  });

  it('configuration mistakes are reported with their path', () => {
    expect(() => parseConfig({ schedule: { cron: 'nightly' } })).toThrow(/schedule\.cron: expected a cron expression/);
    expect(() => parseConfig({ schedule: { time_zone: 'Mars/Olympus' } })).toThrow(/schedule\.time_zone: expected an IANA time zone/);
  });
});

describe('crm-eval status', () => {
  it('shows steps, failures, rows so far and a backfill’s months', () => {
    const text = formatStatus({
      runId: 'crm-eval-backfill-2024-01-01-2024-03-01-20261122T120000Z',
      status: 'RUNNING',
      workflowType: 'backfill',
      startTime: new Date('2026-11-22T12:00:00Z'),
      progress: {
        workflow: 'backfill', runId: 'r', status: 'running',
        done: ['extract:crm.customers@2024-01-01'], running: ['extract:crm.interactions@2024-02-01'],
        failed: [], skipped: [], steps: [], rows: { read: 1234, loaded: 1230, quarantined: 4, skipped: 10 },
        backfill: { from: '2024-01-01', to: '2024-03-01', chunksDone: 1, chunksTotal: 2, current: { from: '2024-02-01', to: '2024-03-01' } },
      },
    });
    expect(text).toContain('steps: 1 done, 1 running, 0 failed, 0 skipped');
    expect(text).toContain('rows so far: 1,234 read, 1,230 loaded, 4 quarantined, 10 skipped');
    expect(text).toContain('backfill 2024-01-01 to 2024-03-01 (exclusive): 1/2 months, now 2024-02-01');
    expect(manualRunId('nightly', new Date('2026-11-22T12:00:00.123Z'))).toBe('crm-eval-nightly-manual-20261122T120000Z');
  });
});
