/**
 * The activities as a Temporal worker runs them (workflows/temporal/activities.ts), each in a
 * MockActivityEnvironment: heartbeats, cancellation, retries that replace instead of
 * duplicating, non-retryable failures for contract violations, and concurrent extracts sharing
 * the worker's one open warehouse.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { ConfigError, parseConfig } from '../../../config/load.ts';
import { entities } from '../../../sources/catalog.ts';
import { customers } from '../../../sources/crm/customers.ts';
import { LoadError } from '../../../sources/load/load-entity.ts';
import { ensureRunLog, type ExtractInput } from '../../../workflows/activities.ts';
import { asFailure, createTemporalActivities, type HeartbeatDetails } from '../../../workflows/temporal/activities.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { writeTinyCompany } from '../../fixtures/company.ts';
import { csvText, tempDir, writeFile } from '../../fixtures/csv.ts';
import { validRows } from '../../fixtures/valid-rows.ts';

let dir: string;
let warehouse: Warehouse;
let activities: ReturnType<typeof createTemporalActivities>;
let dataDir: string;

beforeEach(async () => {
  dir = tempDir('crm-eval-activities-');
  dataDir = writeTinyCompany();
  // As the worker does: open the warehouse once, create the shared logs, hand it to the activities.
  warehouse = await Warehouse.open(join(dir, 'warehouse.duckdb'));
  await ensureRunLog(warehouse);
  activities = createTemporalActivities({ config: parseConfig({}), warehouse, dataDir, heartbeatEveryMs: 50 });
});
afterEach(() => {
  warehouse.close();
  rmSync(dir, { recursive: true, force: true });
});

const extract = (entity: string, runId = 'R1', source = 'crm'): ExtractInput => ({ runId, dataDir, source, entity });
const count = async (sql: string) => (await warehouse.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${sql}`)).n;
// The SDK logs every failed activity as a warning; these failures are expected.
const environment = (activityType: string, attempt = 1) => new ActivityEnvironment({ activityType, attempt }, { logger: new DefaultLogger('ERROR') });

/** MockActivityEnvironment, with `execute` typed by the activity it runs. */
class ActivityEnvironment extends MockActivityEnvironment {
  execute<I, O>(activity: (input: I) => Promise<O>, input: I): Promise<O> {
    return this.run(activity as (input: unknown) => Promise<O>, input);
  }
}

describe('Temporal activities', () => {
  it('heartbeat their progress', async () => {
    const env = environment('extractEntity');
    const beats: HeartbeatDetails[] = [];
    env.on('heartbeat', (details: HeartbeatDetails) => beats.push(details));
    await env.execute(activities.extractEntity, extract('customers'));
    expect(beats[0]).toEqual({ activity: 'extractEntity', message: `loading ${join(dataDir, 'crm/customers.csv')}` });
  });

  it('extract concurrently on the worker’s one warehouse, each on its own connection; then staging builds', async () => {
    const outputs = await Promise.all(
      entities.map((e) => environment('extractEntity').execute(activities.extractEntity, extract(e.entity, 'R1', e.source))),
    );
    expect(outputs.map((o) => o.status)).toEqual(entities.map(() => 'loaded'));
    expect(await count(`meta.load_log WHERE load_id = 'R1' AND status = 'loaded'`)).toBe(entities.length);

    const env = environment('buildModels');
    const beats: HeartbeatDetails[] = [];
    env.on('heartbeat', (details: HeartbeatDetails) => beats.push(details));
    const built = await env.execute(activities.buildModels, { runId: 'R1', layer: 'staging' });
    expect(built.models.length).toBeGreaterThan(5);
    // one message per model; the liveness beats in between repeat the latest (or say 'running')
    expect(new Set(beats.map((b) => b.message).filter((m) => m !== 'running'))).toEqual(new Set(built.models.map((m) => `building ${m.model}`)));
  });

  it('retried under the same run id, replace what the earlier attempt loaded', async () => {
    await environment('extractEntity', 1).execute(activities.extractEntity, extract('customers'));
    await environment('extractEntity', 2).execute(activities.extractEntity, extract('customers'));
    expect(await count(`raw.crm_customers`)).toBe(1);
    expect(await count(`meta.load_log WHERE load_id = 'R1'`)).toBe(1);
  });

  it('a cancelled extract reports CancelledFailure, and its retry loads exactly once', async () => {
    const env = environment('extractEntity');
    env.on('heartbeat', () => env.cancel('CANCELLED'));
    await expect(env.execute(activities.extractEntity, extract('customers'))).rejects.toBeInstanceOf(CancelledFailure);
    await environment('extractEntity', 2).execute(activities.extractEntity, extract('customers'));
    expect(await count(`raw.crm_customers`)).toBe(1);
  });

  it('a contract violation is a non-retryable failure with the message a human needs', async () => {
    const columns = Object.keys(customers.schema.shape).filter((c) => c !== 'customer_id');
    writeFile(join(dataDir, 'crm/customers.csv'), csvText(columns, [validRows['crm.customers']!]));
    const failure = await environment('extractEntity').execute(activities.extractEntity, extract('customers')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'LoadError', nonRetryable: true });
    expect((failure as Error).message).toMatch(/missing required column\(s\) customer_id/);
  });

  it('a missing file is non-retryable too; an unexpected failure during a load stays retryable', async () => {
    const failure = await environment('extractEntity').execute(activities.extractEntity, { ...extract('customers'), dataDir: dir }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ type: 'LoadError', nonRetryable: true, message: expect.stringMatching(/no file delivered/) });

    expect(asFailure(new ConfigError('schedule.cron: expected a cron expression'))).toMatchObject({ type: 'ConfigError', nonRetryable: true });
    const io = new LoadError('crm.orders', 'orders.csv', 'IO Error: disk full', { cause: new Error('IO Error: disk full') });
    expect(asFailure(io)).toBe(io); // Temporal retries it, recording the type LoadError
  });

  it('marts on a configuration that does not fit the data: a non-retryable ConfigError naming the setting', async () => {
    // the defaults describe the reference company: its go-live (2023-07-01) is after the tiny company's last record
    await Promise.all(entities.map((e) => environment('extractEntity').execute(activities.extractEntity, extract(e.entity, 'R1', e.source))));
    await environment('buildModels').execute(activities.buildModels, { runId: 'R1', layer: 'staging' });
    const failure = await environment('buildModels').execute(activities.buildModels, { runId: 'R1', layer: 'marts' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ConfigError', nonRetryable: true });
    expect((failure as Error).message).toMatch(/\n {2}crm_go_live: 2023-07-01 is after the last record, so nothing comes after it; the data runs from 2022-02-01 to 2022-03-01/);
    expect((failure as Error).message).toMatch(/\n {2}control_group\.values: west matches no customer’s region; the data has: north$/);
  });

  it('record runs in meta.runs, as the embedded runner does, and name what the plan is built from', async () => {
    const start = await environment('recordRunStart').execute(activities.recordRunStart, { runId: 'R9', runner: 'temporal:nightlyLoad' });
    expect(start.dataDir).toBe(dataDir); // the worker's default: paths are the activity host's
    expect(start.entities).toHaveLength(entities.length);
    await environment('recordRunEnd').execute(activities.recordRunEnd, {
      runId: 'R9',
      status: 'failed',
      error: 'extract:crm.orders: boom',
      steps: [{ id: 'extract:crm.orders', status: 'failed', seconds: 1, error: 'boom' }],
    });
    expect(await warehouse.all(`SELECT run_id, runner, status, error, finished_at IS NOT NULL AS finished FROM meta.runs`)).toEqual([
      { run_id: 'R9', runner: 'temporal:nightlyLoad', status: 'failed', error: 'extract:crm.orders: boom', finished: true },
    ]);
  });
});
