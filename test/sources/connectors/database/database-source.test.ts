/**
 * The database connector against the real servers of the machine: finance and HR tables seeded
 * from the reference company, loaded through the same extract step a run uses.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../../../config/load.ts';
import type { DatabaseSource } from '../../../../config/sources.ts';
import { findEntity } from '../../../../sources/catalog.ts';
import type { Connector } from '../../../../sources/connectors/connector.ts';
import { databaseConnector } from '../../../../sources/connectors/database/connector.ts';
import { extractWithConnector } from '../../../../sources/connectors/extract.ts';
import { loadEntity } from '../../../../sources/load/load-entity.ts';
import { latestVersion } from '../../../../transforms/staging/_staging.ts';
import { createActivities } from '../../../../workflows/activities.ts';
import { Warehouse } from '../../../../warehouse/warehouse.ts';
import { tempDir } from '../../../fixtures/csv.ts';
import { rawChecksum, referenceFiles } from '../../../fixtures/reference-files.ts';
import { seedErp, type Erp } from './erp.ts';
import { availableServers, createScratch, insertRows, type Scratch } from './servers.ts';
import { describeOnServers } from './suites.ts';

const servers = await availableServers();
const glEntries = findEntity('finance', 'gl_entries');
const employees = findEntity('hr', 'employees');
const timesheets = findEntity('hr', 'timesheets');
const columnsOf = (contract: typeof glEntries) => Object.keys(contract.schema.shape);

let dataDir: string;
beforeAll(async () => {
  dataDir = await referenceFiles();
});

/** A warehouse in a folder of its own (deliveries go beside it). */
async function freshWarehouse(): Promise<Warehouse> {
  return Warehouse.open(join(tempDir('crm-eval-db-wh-'), 'warehouse.duckdb'));
}

/** extractEntity as a run calls it, with these database sources configured. */
function activitiesFor(warehouse: Warehouse, sources: Record<string, DatabaseSource>, progress?: (m: string) => void) {
  return createActivities({ config: parseConfig({ sources }), withWarehouse: (work) => work(warehouse), progress });
}

async function latestRows(warehouse: Warehouse, contract: typeof glEntries): Promise<number> {
  return (await warehouse.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM (${latestVersion(contract)})`)).n;
}

async function duplicateKeysInLoad(warehouse: Warehouse, table: string, key: string[], loadId: string): Promise<number> {
  const k = key.map((c) => `"${c}"`).join(', ');
  return (await warehouse.one<{ n: number }>(
    `SELECT count(*)::BIGINT AS n FROM (SELECT ${k} FROM raw.${table} WHERE load_id = '${loadId}' GROUP BY ${k} HAVING count(*) > 1)`,
  )).n;
}

describeOnServers('database source', servers, (dialect) => {
  let scratch: Scratch;
  let erp: Erp;
  beforeAll(async () => {
    scratch = await createScratch(dialect);
    erp = await seedErp(scratch, dataDir);
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it('a full load of the ledger, employees and timesheets equals the file load of the same rows', async () => {
    const fromFiles = await Warehouse.open(':memory:');
    const fromDb = await freshWarehouse();
    try {
      const activities = activitiesFor(fromDb, { 'finance.gl_entries': erp.sources.gl, 'hr.employees': erp.sources.employees, 'hr.timesheets': erp.sources.timesheets });
      for (const [contract, file] of [[glEntries, 'finance/gl_entries.csv'], [employees, 'hr/employees.csv'], [timesheets, 'hr/timesheets.csv']] as const) {
        await loadEntity(fromFiles, { contract, path: join(dataDir, file), loadId: 'files' });
        const out = await activities.extractEntity({ runId: 'db-1', dataDir: '/nonexistent', source: contract.source, entity: contract.entity });
        const table = `${contract.source}_${contract.entity}`;
        const fileSum = await rawChecksum(fromFiles, table, columnsOf(contract));
        expect(await rawChecksum(fromDb, table, columnsOf(contract))).toEqual(fileSum);
        expect(out).toMatchObject({ status: 'loaded', rowsFetched: fileSum.rows, rowsRead: fileSum.rows, rowsLoaded: fileSum.rows, rowsQuarantined: 0 });
        expect(out.file).toMatch(new RegExp(`^${dialect}://`));
      }
      const log = await fromDb.all<{ entity: string; rows_fetched: number; rows_loaded: number; rows_quarantined: number }>(
        `SELECT entity, rows_fetched, rows_loaded, rows_quarantined FROM meta.load_log ORDER BY entity`,
      );
      expect(log.map((l) => l.entity)).toEqual(['employees', 'gl_entries', 'timesheets']);
      for (const l of log) expect(l.rows_fetched).toBe(l.rows_loaded + l.rows_quarantined);
      expect(log.find((l) => l.entity === 'timesheets')!.rows_fetched).toBe(erp.rows.timesheets);
      // The delivery files are gone once loaded.
      expect(readdirSync(join(fromDb.path, '..', 'deliveries', 'db-1', 'hr'))).toEqual([]);
    } finally {
      fromFiles.close();
      fromDb.close();
    }
  });

  it('a row that breaks its contract is quarantined, and rows fetched = loaded + quarantined', async () => {
    const bad = erp.sources.employees.table.replace('employees', 'employees_bad');
    await sql`CREATE TABLE ${sql.table(bad)} AS SELECT * FROM ${sql.table(erp.tables.employees)}`.execute(scratch.db);
    // fte must be in (0, 1]; a role outside the contract's list
    await insertRows(scratch.db, bad, [
      { employee_id: 'EBAD1', department: 'x', role: 'agent', team: 't', hired_at: '2024-01-01', terminated_at: null, monthly_salary: 1000, fte: 2, updated_at: '2026-01-01 00:00:00' },
      { employee_id: 'EBAD2', department: 'x', role: 'intern', team: 't', hired_at: '2024-01-01', terminated_at: null, monthly_salary: 1000, fte: 1, updated_at: '2026-01-01 00:00:00' },
    ]);
    const warehouse = await freshWarehouse();
    try {
      const out = await activitiesFor(warehouse, { 'hr.employees': { ...erp.sources.employees, table: bad } }).extractEntity({ runId: 'q', dataDir: '/x', source: 'hr', entity: 'employees' });
      expect(out).toMatchObject({ rowsFetched: erp.rows.employees + 2, rowsLoaded: erp.rows.employees, rowsQuarantined: 2 });
      const reasons = await warehouse.all<{ field: string; source_file: string }>(`SELECT field, source_file FROM quarantine.hr_employees ORDER BY field`);
      expect(reasons.map((r) => r.field)).toEqual(['fte', 'role']);
      expect(reasons[0]!.source_file).toBe(out.file);
    } finally {
      warehouse.close();
    }
  });

  it('an incremental load after inserts and updates picks up exactly those', async () => {
    const warehouse = await freshWarehouse();
    const table = erp.tables.timesheets.replace('timesheets', 'timesheets_inc');
    await sql`CREATE TABLE ${sql.table(table)} AS SELECT * FROM ${sql.table(erp.tables.timesheets)}`.execute(scratch.db);
    const source = { ...erp.sources.timesheets, table, incremental: { updated_at: 'updated_at', safety_lag: 0 } };
    const activities = activitiesFor(warehouse, { 'hr.timesheets': source });
    const extract = (runId: string) => activities.extractEntity({ runId, dataDir: '/x', source: 'hr', entity: 'timesheets' });
    try {
      const first = await extract('inc-1');
      expect(first.rowsFetched).toBe(erp.rows.timesheets);

      await insertRows(scratch.db, table, [
        { employee_id: 'E99901', work_date: '2025-06-02', hours_worked: 8, updated_at: '2026-02-01 08:00:00' },
        { employee_id: 'E99901', work_date: '2025-06-03', hours_worked: 7.5, updated_at: '2026-02-01 08:00:00' },
        { employee_id: 'E99902', work_date: '2025-06-02', hours_worked: 6, updated_at: '2026-02-01 09:00:00' },
      ]);
      const ts = on(scratch.db, table);
      const changed = await ts.db.selectFrom(ts.table).select(['employee_id', 'work_date']).orderBy('employee_id').orderBy('work_date').limit(2).execute();
      for (const row of changed) {
        await ts.db.updateTable(ts.table)
          .set({ hours_worked: 3.25, updated_at: '2026-02-02 10:00:00' })
          .where('employee_id', '=', row.employee_id).where('work_date', '=', row.work_date).execute();
      }

      const second = await extract('inc-2');
      expect(second).toMatchObject({ rowsFetched: 5, rowsLoaded: 5, rowsQuarantined: 0 });
      // Staging keeps the latest version per key: every row once, the updates as updated.
      expect(await latestRows(warehouse, timesheets)).toBe(erp.rows.timesheets + 3);
      const keys = changed.map((r) => `('${r.employee_id}', DATE '${r.work_date}')`).join(', ');
      const updated = await warehouse.all<{ hours_worked: number; load_id: string }>(
        `SELECT hours_worked, load_id FROM (${latestVersion(timesheets)}) WHERE (employee_id, work_date) IN (${keys})`,
      );
      expect(updated).toEqual([{ hours_worked: 3.25, load_id: 'inc-2' }, { hours_worked: 3.25, load_id: 'inc-2' }]);
      // The first load's rows stay: a change delivery supersedes nothing.
      expect((await warehouse.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM raw.hr_timesheets WHERE load_id = 'inc-1'`)).n).toBe(erp.rows.timesheets);

      // Nothing changed: nothing fetched, the mark stays.
      expect(await extract('inc-3')).toMatchObject({ rowsFetched: 0, rowsLoaded: 0 });
      const marks = await warehouse.all<{ load_id: string; mark: string }>(`SELECT load_id, CAST(mark AS VARCHAR) AS mark FROM meta.source_marks ORDER BY committed_at`);
      expect(marks.map((m) => m.load_id)).toEqual(['inc-1', 'inc-2', 'inc-3']);
      expect(JSON.parse(marks[2]!.mark)).toEqual(JSON.parse(marks[1]!.mark));
      expect(JSON.parse(marks[1]!.mark).updated_at).toMatch(/^2026-02-02 10:00:00/);

      // Rerunning a run id starts again from the mark before it and replaces its load.
      expect(await extract('inc-2')).toMatchObject({ rowsFetched: 5, rowsLoaded: 5 });
      expect(await latestRows(warehouse, timesheets)).toBe(erp.rows.timesheets + 3);
    } finally {
      warehouse.close();
    }
  });

  it('a row committed late with an older updated_at is picked up within the safety lag; re-read rows change nothing', async () => {
    const warehouse = await freshWarehouse();
    const table = erp.tables.gl.replace('gl_lines', 'gl_lines_lag');
    await sql`CREATE TABLE ${sql.table(table)} AS SELECT * FROM ${sql.table(erp.tables.gl)}`.execute(scratch.db);
    const source = { ...erp.sources.gl, table, incremental: { updated_at: 'updated_at', key: 'id', safety_lag: 300 } };
    const activities = activitiesFor(warehouse, { 'finance.gl_entries': source });
    const extract = (runId: string) => activities.extractEntity({ runId, dataDir: '/x', source: 'finance', entity: 'gl_entries' });
    try {
      await extract('lag-1'); // mark: (2026-01-01 00:00:00, the last id)
      // A transaction that stamped its row a minute before the mark but committed after the load.
      const late = { id: 'GL-LATE-1', posting_date: '2025-12-31', account: '6601', cost_center: 'customer_service', amount: 10, cost_nature: 'direct', cost_behavior: 'fixed', project: null, description: 'late', updated_at: '2025-12-31 23:59:00' };
      await insertRows(scratch.db, table, [late]);
      const second = await extract('lag-2');
      // Everything in the lag window is read again (here every seeded row) plus the late row.
      expect(second.rowsFetched).toBe(erp.rows.gl + 1);
      expect(second.rowsSkipped).toBe(0);
      expect(await latestRows(warehouse, glEntries)).toBe(erp.rows.gl + 1);
      const dup = await warehouse.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM (SELECT entry_id FROM (${latestVersion(glEntries)}) GROUP BY entry_id HAVING count(*) > 1)`);
      expect(dup.n).toBe(0);
    } finally {
      warehouse.close();
    }
  });

  it('rows inserted while an extract runs are in this load or the next, never lost', async () => {
    const warehouse = await freshWarehouse();
    const table = erp.tables.timesheets.replace('timesheets', 'timesheets_live');
    await sql`CREATE TABLE ${sql.table(table)} AS SELECT * FROM ${sql.table(erp.tables.timesheets)}`.execute(scratch.db);
    const source = { ...erp.sources.timesheets, table, incremental: { updated_at: 'updated_at', safety_lag: 300 } };
    const t = on(scratch.db, table);
    const now = dialect === 'postgres' ? sql`now()` : sql`current_timestamp(6)`;
    const insertDuring = async (i: number) => {
      await t.db.insertInto(t.table).values({ employee_id: `ELIVE${i}`, work_date: '2026-11-30', hours_worked: 8, updated_at: now }).execute();
    };
    let meddle = true;
    const connector = databaseConnector(timesheets, parseConfig({ sources: { 'hr.timesheets': source } }).sources['hr.timesheets'] as DatabaseSource, undefined);
    // After each page arrives, another session commits a new row.
    let inserted = 0;
    const meddling: Connector = {
      target: connector.target,
      contract: connector.contract,
      check: () => connector.check(),
      close: () => connector.close(),
      async read(request) {
        const plan = await connector.read(request);
        return {
          ...plan,
          chunks: (async function* () {
            for await (const chunk of plan.chunks) {
              yield chunk;
              if (meddle) await insertDuring(++inserted);
            }
          })(),
        };
      },
    };
    const extract = (runId: string) =>
      extractWithConnector({ connector: meddling, runId, deliveriesRoot: join(warehouse.path, '..', 'deliveries'), withWarehouse: (work) => work(warehouse) });
    try {
      const first = await extract('live-1');
      const pages = Math.ceil(erp.rows.timesheets / 1000);
      expect(inserted).toBe(pages);
      // One snapshot: what was committed during the read is not in it.
      expect(first.load.rowsFetched).toBe(erp.rows.timesheets);
      meddle = false;
      const second = await extract('live-2');
      // The next load has them all (the safety lag re-reads the newest rows too: harmless).
      expect(second.load.rowsFetched).toBeGreaterThanOrEqual(pages);
      const live = await warehouse.all<{ employee_id: string }>(`SELECT employee_id FROM (${latestVersion(timesheets)}) WHERE employee_id LIKE 'ELIVE%' ORDER BY employee_id`);
      expect(live).toHaveLength(pages);
      const inSource = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(scratch.db);
      expect(await latestRows(warehouse, timesheets)).toBe(Number(inSource.rows[0]!.n));
    } finally {
      await connector.close();
      warehouse.close();
    }
  });

  it('a retried extract resumes after the last committed page', async () => {
    const warehouse = await freshWarehouse();
    const connector = databaseConnector(timesheets, erp.sources.timesheets, undefined);
    // pages of 1,000 rows: the 500-customer company’s desk books a little over 1,000 timesheet
    // rows, so the read drops after its first page and the retry has one left to read
    expect(erp.rows.timesheets).toBeGreaterThan(1000);
    const flaky = droppingAfter(connector, 1);
    const messages: string[] = [];
    const extract = () =>
      extractWithConnector({
        connector: flaky.connector, runId: 'resume', deliveriesRoot: join(warehouse.path, '..', 'deliveries'),
        withWarehouse: (work) => work(warehouse), progress: (m) => messages.push(m), settingsFingerprint: erp.sources.timesheets,
      });
    try {
      await expect(extract()).rejects.toThrow(/connection reset by peer/);
      const dir = join(warehouse.path, '..', 'deliveries', 'resume', 'hr', 'timesheets');
      expect(readdirSync(dir).sort()).toEqual(['part-00001.jsonl', 'progress.json']);
      expect(messages.at(-1)).toMatch(/page 1, 1000 rows, cursor \{"updated_at":null,"key":\["E\d+","\d{4}-\d{2}-\d{2}"\]\}/);

      flaky.heal();
      messages.length = 0;
      const retried = await extract();
      expect(retried.resumedParts).toBe(1);
      expect(messages[0]).toMatch(/resuming after 1 committed page\(s\), 1000 rows/);
      expect(messages.filter((m) => m.includes(' page '))).toHaveLength(Math.ceil(erp.rows.timesheets / 1000) - 1);
      expect(retried.load).toMatchObject({ rowsFetched: erp.rows.timesheets, rowsLoaded: erp.rows.timesheets });
      expect(await duplicateKeysInLoad(warehouse, 'hr_timesheets', ['employee_id', 'work_date'], 'resume')).toBe(0);
      expect(existsSync(dir)).toBe(false);
    } finally {
      await connector.close();
      warehouse.close();
    }
  });

  it('a backfill re-reads one window of the ledger and replaces it; the forward mark stays', async () => {
    const warehouse = await freshWarehouse();
    const table = erp.tables.gl.replace('gl_lines', 'gl_lines_backfill');
    await sql`CREATE TABLE ${sql.table(table)} AS SELECT * FROM ${sql.table(erp.tables.gl)}`.execute(scratch.db);
    const source = { ...erp.sources.gl, table, incremental: { updated_at: 'updated_at', key: 'id', safety_lag: 0 } };
    const activities = activitiesFor(warehouse, { 'finance.gl_entries': source });
    const window = { from: '2022-01-01', to: '2022-02-01' };
    try {
      await activities.extractEntity({ runId: 'bf-0', dataDir: '/x', source: 'finance', entity: 'gl_entries' });
      // A correction made without touching updated_at: only a backfill can see it.
      const t = on(scratch.db, table);
      await t.db.updateTable(t.table).set({ amount: 1.23 }).where('posting_date', '>=', window.from).where('posting_date', '<', window.to).execute();
      const inWindow = await t.db.selectFrom(t.table).select((eb) => eb.fn.countAll().as('n')).where('posting_date', '>=', window.from).where('posting_date', '<', window.to).executeTakeFirstOrThrow();
      expect(Number(inWindow.n)).toBeGreaterThan(0);
      const out = await activities.extractEntity({ runId: 'bf-1', dataDir: '/x', source: 'finance', entity: 'gl_entries', window });
      expect(out).toMatchObject({ rowsFetched: Number(inWindow.n), rowsLoaded: Number(inWindow.n), window });
      const amounts = await warehouse.all<{ load_id: string; n: number }>(
        `SELECT load_id, count(*)::BIGINT AS n FROM (${latestVersion(glEntries)}) WHERE posted_on >= DATE '2022-01-01' AND posted_on < DATE '2022-02-01' GROUP BY load_id`,
      );
      expect(amounts).toEqual([{ load_id: 'bf-1', n: Number(inWindow.n) }]);
      expect(await latestRows(warehouse, glEntries)).toBe(erp.rows.gl);
      const marks = await warehouse.all<{ load_id: string }>(`SELECT load_id FROM meta.source_marks`);
      expect(marks).toEqual([{ load_id: 'bf-0' }]);
    } finally {
      warehouse.close();
    }
  });

  it('a row without updated_at (it has no place in the read order) fails the extract instead of being passed by', async () => {
    const table = erp.tables.employees.replace('employees', 'employees_nulls');
    await sql`CREATE TABLE ${sql.table(table)} (employee_id varchar(20), department varchar(40), role varchar(20), team varchar(40),
      hired_at date, terminated_at date, monthly_salary decimal(12,2), fte decimal(4,2), updated_at ${dialect === 'postgres' ? sql`timestamptz` : sql`datetime(6)`})`.execute(scratch.db);
    await insertRows(scratch.db, table, [{ employee_id: 'E1', department: 'cs', role: 'agent', team: 'a', hired_at: '2024-01-01', terminated_at: null, monthly_salary: 1, fte: 1, updated_at: null }]);
    const warehouse = await freshWarehouse();
    try {
      const source = { ...erp.sources.employees, table, incremental: { updated_at: 'updated_at', safety_lag: 0 } };
      await expect(activitiesFor(warehouse, { 'hr.employees': source }).extractEntity({ runId: 'n', dataDir: '/x', source: 'hr', entity: 'employees' })).rejects.toThrow(
        /1 row\(s\) have no value in updated_at or employee_id, which order the read/,
      );
    } finally {
      warehouse.close();
    }
  });

  it('timestamps arrive as the same instant, with microseconds, whatever the server\'s time zone; Chinese text intact', async () => {
    const pg = dialect === 'postgres';
    await sql`CREATE TABLE surveys_tz (response_id varchar(20) PRIMARY KEY, customer_id varchar(20) NOT NULL, ticket_id varchar(20),
      survey_type varchar(5) NOT NULL, score int NOT NULL, comment text, responded_at ${pg ? sql`timestamptz(6)` : sql`datetime(6)`} NOT NULL)`.execute(scratch.db);
    // On PostgreSQL the stored instant is 2024-03-01 01:30:00.123456 UTC, written in Shanghai time;
    // the database's sessions default to Shanghai too. MariaDB's DATETIME has no zone: taken as UTC.
    const at = pg ? '2024-03-01 09:30:00.123456+08' : '2024-03-01 01:30:00.123456';
    await insertRows(scratch.db, 'surveys_tz', [{ response_id: 'S1', customer_id: 'C1', ticket_id: null, survey_type: 'csat', score: 5, comment: '服务很好，谢谢', responded_at: at }]);
    if (pg) await sql`ALTER DATABASE ${sql.id(scratch.database)} SET timezone TO 'Asia/Shanghai'`.execute(scratch.db);
    const warehouse = await freshWarehouse();
    try {
      const source = scratch.source({ table: pg ? 'public.surveys_tz' : 'surveys_tz' });
      await activitiesFor(warehouse, { 'crm.surveys': source }).extractEntity({ runId: 'tz', dataDir: '/x', source: 'crm', entity: 'surveys' });
      const row = await warehouse.one<{ at: string; comment: string }>(`SELECT strftime(responded_at, '%Y-%m-%d %H:%M:%S.%f') AS at, comment FROM raw.crm_surveys`);
      expect(row).toEqual({ at: '2024-03-01 01:30:00.123456', comment: '服务很好，谢谢' });
    } finally {
      warehouse.close();
      if (pg) await sql`ALTER DATABASE ${sql.id(scratch.database)} RESET timezone`.execute(scratch.db);
    }
  });

  it('a retried extract whose table gained a mapped column since its committed pages reads it again from the start', async () => {
    const warehouse = await freshWarehouse();
    const table = erp.tables.gl.replace('gl_lines', 'gl_lines_cols');
    await sql`CREATE TABLE ${sql.table(table)} AS SELECT * FROM ${sql.table(erp.tables.gl)}`.execute(scratch.db);
    await sql`ALTER TABLE ${sql.table(table)} DROP COLUMN description`.execute(scratch.db);
    // Pages of 100 rows (below the configuration's minimum of 1,000, which this test bypasses).
    const connector = databaseConnector(glEntries, { ...erp.sources.gl, table, chunk_rows: 100 }, undefined);
    const flaky = droppingAfter(connector, 2);
    const messages: string[] = [];
    const extract = () =>
      extractWithConnector({ connector: flaky.connector, runId: 'cols', deliveriesRoot: join(warehouse.path, '..', 'deliveries'), withWarehouse: (work) => work(warehouse), progress: (m) => messages.push(m) });
    try {
      await expect(extract()).rejects.toThrow(/connection reset by peer/);
      await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN description text`.execute(scratch.db);
      flaky.heal();
      const retried = await extract();
      expect(messages).toContainEqual(expect.stringMatching(/columns changed since the committed pages; reading it again from the start/));
      expect(retried.load).toMatchObject({ rowsFetched: erp.rows.gl, rowsLoaded: erp.rows.gl, missingColumns: [] });
      expect(await duplicateKeysInLoad(warehouse, 'finance_gl_entries', ['entry_id'], 'cols')).toBe(0);
    } finally {
      await connector.close();
      warehouse.close();
    }
  });

  it('a table lacking a required column fails the extract, naming it; the earlier load stays', async () => {
    const warehouse = await freshWarehouse();
    try {
      const activities = activitiesFor(warehouse, { 'hr.employees': { ...erp.sources.employees, columns: { fte: 'fte_share' } } });
      await expect(activities.extractEntity({ runId: 'm', dataDir: '/x', source: 'hr', entity: 'employees' })).rejects.toThrow(
        /lacks required column\(s\) fte \(fte_share\)/,
      );
    } finally {
      warehouse.close();
    }
  });
});

/** A table name as kysely takes it: schema-qualified on PostgreSQL, plain on MariaDB. */
function on(db: Scratch['db'], table: string): { db: Scratch['db']; table: string } {
  const [schema, name] = table.includes('.') ? table.split('.') : [null, table];
  return { db: schema ? db.withSchema(schema) : db, table: name! };
}

/** The connector, but its read drops the connection after `pages` pages until `heal()`. */
function droppingAfter(connector: Connector, pages: number): { connector: Connector; heal(): void } {
  let failAfter: number | null = pages;
  return {
    heal: () => (failAfter = null),
    connector: {
      target: connector.target,
      contract: connector.contract,
      check: () => connector.check(),
      close: () => connector.close(),
      async read(request) {
        const plan = await connector.read(request);
        return {
          ...plan,
          chunks: (async function* () {
            let n = 0;
            for await (const chunk of plan.chunks) {
              if (failAfter !== null && n++ === failAfter) throw new Error('connection reset by peer');
              yield chunk;
            }
          })(),
        };
      },
    },
  };
}
