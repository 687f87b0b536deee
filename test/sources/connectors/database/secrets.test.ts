/**
 * A database password comes only from the environment variable the configuration names, and it
 * never shows up anywhere: not in progress lines, errors, `sources check`, the warehouse's tables
 * or any file the run writes. A reader account with a planted password is created on each server.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { stringify } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../../../config/load.ts';
import type { DatabaseSource } from '../../../../config/sources.ts';
import { checkSources } from '../../../../cli/commands/sources.ts';
import { createActivities } from '../../../../workflows/activities.ts';
import { Warehouse } from '../../../../warehouse/warehouse.ts';
import { tempDir } from '../../../fixtures/csv.ts';
import { referenceFiles } from '../../../fixtures/reference-files.ts';
import { seedErp, type Erp } from './erp.ts';
import { availableServers, createScratch, type Scratch } from './servers.ts';
import { describeOnServers } from './suites.ts';

const servers = await availableServers();
const TOKEN = `planted-secret-${randomBytes(8).toString('hex')}`;
const VARIABLE = 'CRM_EVAL_TEST_ERP_PASSWORD';

/** Every file under `dir` that holds the token, as bytes. */
function filesWithToken(dir: string): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) hits.push(...filesWithToken(path));
    else if (readFileSync(path).includes(Buffer.from(TOKEN))) hits.push(path);
  }
  return hits;
}

/** Every table of the warehouse, every value as text, that holds the token. */
async function tablesWithToken(warehouse: Warehouse): Promise<string[]> {
  const tables = await warehouse.all<{ s: string; t: string }>(
    `SELECT table_schema AS s, table_name AS t FROM information_schema.tables WHERE table_catalog = current_database()`,
  );
  const hits: string[] = [];
  for (const { s, t } of tables) {
    const { n } = await warehouse.one<{ n: number }>(
      `SELECT count(*)::BIGINT AS n FROM "${s}"."${t}" AS r WHERE contains(CAST(to_json(r) AS VARCHAR), $1)`,
      [TOKEN],
    );
    if (n > 0) hits.push(`${s}.${t}`);
  }
  return hits;
}

describeOnServers('the database password', servers, (dialect) => {
  let scratch: Scratch;
  let erp: Erp;
  let reader: DatabaseSource;
  const user = `crm_eval_reader_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    scratch = await createScratch(dialect);
    erp = await seedErp(scratch, await referenceFiles());
    if (dialect === 'postgres') {
      await sql`CREATE ROLE ${sql.id(user)} LOGIN PASSWORD ${sql.lit(TOKEN)}`.execute(scratch.db);
      await sql`GRANT USAGE ON SCHEMA hr TO ${sql.id(user)}`.execute(scratch.db);
      await sql`GRANT SELECT ON ALL TABLES IN SCHEMA hr TO ${sql.id(user)}`.execute(scratch.db);
    } else {
      for (const host of ['localhost', '127.0.0.1']) {
        await sql`CREATE USER ${sql.lit(user)}@${sql.lit(host)} IDENTIFIED BY ${sql.lit(TOKEN)}`.execute(scratch.db);
        await sql`GRANT SELECT ON ${sql.id(scratch.database)}.* TO ${sql.lit(user)}@${sql.lit(host)}`.execute(scratch.db);
      }
    }
    reader = { ...erp.sources.employees, user, password_env: VARIABLE };
  });
  afterAll(async () => {
    if (scratch) {
      if (dialect === 'postgres') {
        await sql`DROP OWNED BY ${sql.id(user)}`.execute(scratch.db).catch(() => undefined);
        await scratch.drop();
        const { adminDb } = await import('./servers.ts');
        const admin = adminDb('postgres');
        await sql`DROP ROLE IF EXISTS ${sql.id(user)}`.execute(admin);
        await admin.destroy();
      } else {
        for (const host of ['localhost', '127.0.0.1']) await sql`DROP USER IF EXISTS ${sql.lit(user)}@${sql.lit(host)}`.execute(scratch.db);
        await scratch.drop();
      }
    }
  });

  it('is read from the named variable, and is in no log, error, table or file', async () => {
    const dir = tempDir('crm-eval-secret-');
    const warehouse = await Warehouse.open(join(dir, 'warehouse.duckdb'));
    const seen: string[] = [];
    const env = { ...process.env, [VARIABLE]: TOKEN };
    const saved = process.env[VARIABLE];
    process.env[VARIABLE] = TOKEN;
    try {
      const activities = createActivities({ config: parseConfig({ sources: { 'hr.employees': reader } }), withWarehouse: (work) => work(warehouse), progress: (m) => seen.push(m) });
      const out = await activities.extractEntity({ runId: 'secret-1', dataDir: '/x', source: 'hr', entity: 'employees' });
      expect(out.rowsLoaded).toBe(erp.rows.employees);
      seen.push(JSON.stringify(out));

      // Failures: a wrong password (MariaDB checks it; PostgreSQL here trusts local hosts, so a wrong database instead).
      const wrong = dialect === 'mysql' ? { ...reader, user: 'root' } : { ...reader, database: 'crm_eval_no_such_db' };
      const failing = createActivities({ config: parseConfig({ sources: { 'hr.employees': wrong } }), withWarehouse: (work) => work(warehouse) });
      const error = await failing.extractEntity({ runId: 'secret-2', dataDir: '/x', source: 'hr', entity: 'employees' }).then(
        () => null,
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error!.message).toMatch(dialect === 'mysql' ? /Access denied/ : /does not exist/);
      seen.push(error!.message, error!.stack ?? '', JSON.stringify(error));

      const checks = await checkSources(parseConfig({ sources: { 'hr.employees': reader, 'hr.timesheets': { ...wrong, table: erp.tables.timesheets } } }), env);
      expect(checks.map((c) => c.ok)).toEqual([true, false]);
      seen.push(JSON.stringify(checks));

      // The command line, as an operator runs it.
      const configFile = join(dir, 'crm-eval.config.yaml');
      writeFileSync(configFile, stringify({ sources: { 'hr.employees': reader, 'hr.timesheets': { ...wrong, table: erp.tables.timesheets } } }));
      const cli = spawnSync(process.execPath, ['bin/crm-eval.js', 'sources', 'check', '--config', configFile], {
        encoding: 'utf8',
        env: { ...env, TSX_DISABLE_CACHE: '1', CI: 'true', DEBUG: '1' },
      });
      expect(cli.status, cli.stderr).toBe(1);
      expect(cli.stdout).toMatch(/hr\.employees .* ok/);
      seen.push(cli.stdout, cli.stderr);

      for (const text of seen) expect(text).not.toContain(TOKEN);
      expect(await tablesWithToken(warehouse)).toEqual([]);
    } finally {
      warehouse.close();
      if (saved === undefined) delete process.env[VARIABLE];
      else process.env[VARIABLE] = saved;
    }
    // Nor any file: the warehouse, its deliveries, the configuration (which names the variable only).
    expect(filesWithToken(dir)).toEqual([]);
  });
});
