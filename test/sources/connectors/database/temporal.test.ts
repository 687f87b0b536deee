/**
 * A database extract as a Temporal worker runs it (workflows/temporal/activities.ts, in a
 * MockActivityEnvironment): it heartbeats once per page with its cursor, and when the server
 * drops its connection mid-read the failure is retryable and the next attempt resumes after the
 * last committed page instead of starting over.
 */
import { join } from 'node:path';
import { sql } from 'kysely';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../../../config/load.ts';
import { ensureRunLog, type ExtractInput, type ExtractOutput } from '../../../../workflows/activities.ts';
import { createTemporalActivities, type HeartbeatDetails } from '../../../../workflows/temporal/activities.ts';
import { Warehouse } from '../../../../warehouse/warehouse.ts';
import { tempDir } from '../../../fixtures/csv.ts';
import { createErpTables, seedLedgerLines } from './erp.ts';
import { availableServers, createScratch, type Scratch } from './servers.ts';
import { describeOnServers } from './suites.ts';

const servers = await availableServers();

const ROWS = 60_000;

/** Ends the connector's session on the server (the one in a read-only snapshot), as a failover or a network cut would. */
async function dropReaderConnections(scratch: Scratch): Promise<void> {
  if (scratch.dialect === 'postgres') {
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${scratch.database} AND application_name = 'crm-eval'`.execute(scratch.db);
  } else {
    const { rows } = await sql<{ id: number }>`SELECT trx_mysql_thread_id AS id FROM information_schema.innodb_trx`.execute(scratch.db);
    for (const { id } of rows) await sql`KILL CONNECTION ${sql.lit(Number(id))}`.execute(scratch.db).catch(() => undefined);
  }
}

describeOnServers('a database extract under Temporal', servers, (dialect) => {
  let scratch: Scratch;
  let table: string;
  beforeAll(async () => {
    scratch = await createScratch(dialect);
    table = (await createErpTables(scratch.db, dialect)).gl;
    await seedLedgerLines(scratch, table, ROWS);
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it('heartbeats each page with its cursor; a dropped connection is retried and resumes after the last committed page', async () => {
    const warehouse = await Warehouse.open(join(tempDir('crm-eval-db-temporal-'), 'warehouse.duckdb'));
    await ensureRunLog(warehouse);
    const source = scratch.source({ table, columns: { entry_id: 'id', posted_on: 'posting_date' }, chunk_rows: 1000 });
    const activities = createTemporalActivities({ config: parseConfig({ sources: { 'finance.gl_entries': source } }), warehouse, heartbeatEveryMs: 60_000 });
    const input: ExtractInput = { runId: 'temporal-1', dataDir: '/x', source: 'finance', entity: 'gl_entries' };
    const attempt = (n: number, onBeat: (b: HeartbeatDetails) => void) => {
      const env = new MockActivityEnvironment({ activityType: 'extractEntity', attempt: n }, { logger: new DefaultLogger('ERROR') });
      env.on('heartbeat', onBeat);
      return env.run(activities.extractEntity as (i: unknown) => Promise<ExtractOutput>, input);
    };
    try {
      const first: HeartbeatDetails[] = [];
      let dropped = false;
      const failure = await attempt(1, (beat) => {
        first.push(beat);
        if (!dropped && / page 2, /.test(beat.message)) {
          dropped = true;
          void dropReaderConnections(scratch);
        }
      }).then(() => null, (error: Error) => error);
      expect(failure, 'the read should have failed when its connection was dropped').toBeInstanceOf(Error);
      // Retryable: not turned into a non-retryable ApplicationFailure.
      expect(failure!.name).toBe('SourceError');
      expect(first[0]).toMatchObject({ activity: 'extractEntity', message: expect.stringMatching(/^finance\.gl_entries: page 1, 1000 rows, cursor \{"updated_at":null,"key":\["GL000001000"\]\}$/) });
      const committed = first.filter((b) => / page \d+, /.test(b.message)).length;
      expect(committed).toBeGreaterThanOrEqual(2);

      const second: HeartbeatDetails[] = [];
      const out = await attempt(2, (beat) => second.push(beat));
      expect(second[0]!.message).toMatch(new RegExp(`resuming after ${committed} committed page\\(s\\), ${committed * 1000} rows`));
      const pages = second.filter((b) => / page \d+, /.test(b.message)).map((b) => Number(/ page (\d+),/.exec(b.message)![1]));
      expect(pages[0]).toBe(committed + 1);
      expect(pages.at(-1)).toBe(ROWS / 1000);
      expect(out).toMatchObject({ rowsFetched: ROWS, rowsLoaded: ROWS, rowsQuarantined: 0 });
      const keys = await warehouse.one<{ rows: number; keys: number }>(`SELECT count(*)::BIGINT AS rows, count(DISTINCT entry_id)::BIGINT AS keys FROM raw.finance_gl_entries`);
      expect(keys).toEqual({ rows: ROWS, keys: ROWS });
    } finally {
      warehouse.close();
    }
  });
});
