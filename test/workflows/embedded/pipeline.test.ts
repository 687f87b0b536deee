/** The whole pipeline on the embedded runner, on a tiny delivery of every entity. */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync, rmSync } from 'node:fs';
import { entities } from '../../../sources/catalog.ts';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { runPlan } from '../../../workflows/embedded/runner.ts';
import { pipelinePlan } from '../../../workflows/plan.ts';
import { createActivities, type ExtractOutput, type TransformOutput } from '../../../workflows/activities.ts';
import { publishedPath } from '../../../warehouse/publish.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { tempDir } from '../../fixtures/csv.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../../fixtures/company.ts';
import { validRows } from '../../fixtures/valid-rows.ts';

const config = tinyCompanyConfig();
const customer = validRows['crm.customers']!;
let warehousePath: string;

afterEach(() => rmSync(join(warehousePath, '..'), { recursive: true, force: true }));

async function query<T extends Record<string, unknown>>(path: string, sql: string): Promise<T[]> {
  const warehouse = await Warehouse.open(path, { readOnly: true });
  try {
    return await warehouse.all<T>(sql);
  } finally {
    warehouse.close();
  }
}

describe('the embedded pipeline', () => {
  it('loads, stages, tests and publishes; a rerun of the same run id duplicates nothing', async () => {
    const dataDir = writeTinyCompany({
      'crm.customers': [
        { ...customer, segment: 'vip' }, // a later version of C1: staging keeps this one
        { ...customer, customer_id: 'C2', email: 'Wang.Wei@Example.com', phone: '+86 139 0000 0002' },
        { ...customer, customer_id: 'C3', gender: 'robot' }, // quarantined
      ],
    });
    warehousePath = join(tempDir(), 'warehouse.duckdb');

    const first = await runPipeline({ dataDir, warehousePath, config, runId: 'run-1' });
    expect(first.error).toBeUndefined();
    expect(first.status).toBe('succeeded');
    const customers = first.outcomes.find((o) => o.step.id === 'extract:crm.customers')!.output as ExtractOutput;
    expect(customers).toMatchObject({ rowsRead: 4, rowsLoaded: 3, rowsQuarantined: 1 });

    await runPipeline({ dataDir, warehousePath, config, runId: 'run-1' });
    expect(await query(warehousePath, `SELECT count(*)::INT AS n FROM raw.crm_customers`)).toEqual([{ n: 3 }]);
    expect(await query(warehousePath, `SELECT count(*)::INT AS n FROM quarantine.crm_customers`)).toEqual([{ n: 1 }]);
    expect(await query(warehousePath, `SELECT customer_id, segment FROM staging.customers ORDER BY 1`)).toEqual([
      { customer_id: 'C1', segment: 'vip' },
      { customer_id: 'C2', segment: 'retail' },
    ]);
    expect(await query(warehousePath, `SELECT run_id, status FROM meta.runs`)).toEqual([{ run_id: 'run-1', status: 'succeeded' }]);

    // every model's build time, once per run and model (the rerun replaced the first figures)
    const built = first.outcomes.filter((o) => o.step.kind === 'transform').flatMap((o) => (o.output as TransformOutput).models.map((m) => m.model));
    expect(built.length).toBeGreaterThan(20);
    const recorded = await query<{ model: string; seconds: number }>(warehousePath, `SELECT model, seconds FROM meta.model_builds WHERE run_id = 'run-1' ORDER BY model`);
    expect(recorded.map((r) => r.model)).toEqual([...built].sort());
    for (const r of recorded) expect(r.seconds).toBeGreaterThan(0);
  });

  it('never lets an email or phone number past the raw layer', async () => {
    const dataDir = writeTinyCompany({ 'crm.customers': [{ ...customer, customer_id: 'C2', email: 'Wang.Wei@Example.com', phone: '+86 139 0000 0002' }] });
    warehousePath = join(tempDir(), 'warehouse.duckdb');
    await runPipeline({ dataDir, warehousePath, config, runId: 'run-1' });

    const secrets = ['li.na@example.com', 'wang.wei@example.com', '138 0000 0001', '13800000001', '13900000002'];
    for (const path of [warehousePath, publishedPath(warehousePath)]) {
      const tables = await query<{ schema_name: string; table_name: string }>(
        path,
        `SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name NOT IN ('raw', 'quarantine')`,
      );
      expect(tables.length).toBeGreaterThan(path === warehousePath ? 10 : 0);
      for (const t of tables) {
        const text = JSON.stringify(await query(path, `SELECT * FROM ${t.schema_name}.${t.table_name}`)).toLowerCase();
        for (const secret of secrets) expect(text, `${t.schema_name}.${t.table_name}`).not.toContain(secret);
      }
    }
    const hashes = await query<{ email_hash: string }>(warehousePath, `SELECT email_hash FROM staging.customers ORDER BY customer_id`);
    expect(hashes.map((h) => h.email_hash)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)]);
    // the published snapshot holds no raw layer, no staging and not the hashing salt
    const published = await query<{ t: string }>(publishedPath(warehousePath), `SELECT schema_name || '.' || table_name AS t FROM duckdb_tables() ORDER BY 1`);
    expect(published.map((p) => p.t).filter((t) => !t.startsWith('marts.'))).toEqual(['meta.load_log', 'meta.runs']);
    expect(published.map((p) => p.t)).toContain('marts.case_study');
    // the publishing run reads as published there, not as still running
    expect(await query(publishedPath(warehousePath), `SELECT run_id, status FROM meta.runs`)).toEqual([{ run_id: 'run-1', status: 'published' }]);
  });

  it('a failing data test stops the run before publishing', async () => {
    // The contract quarantines a margin larger than the order (one bad row never stops a run), so
    // the row reaches raw here as one written by hand or by an older contract would: the staging
    // invariant still catches it, and the run stops before publishing.
    warehousePath = join(tempDir(), 'warehouse.duckdb');
    const warehouse = await Warehouse.open(warehousePath);
    let result;
    try {
      const activities = createActivities({ config, withWarehouse: (work) => work(warehouse) });
      const extractEntity: typeof activities.extractEntity = async (input) => {
        const output = await activities.extractEntity(input);
        if (input.entity === 'orders') await warehouse.run(`UPDATE raw.crm_orders SET amount = 10, gross_margin = 50`);
        return output;
      };
      const dataDir = writeTinyCompany();
      await activities.recordRunStart({ runId: 'run-1', runner: 'embedded', dataDir });
      result = await runPlan(pipelinePlan({ entities, reports: false }), { ...activities, extractEntity }, { runId: 'run-1', dataDir });
    } finally {
      warehouse.close();
    }
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/^test: 1 data test\(s\) failed:\n {2}staging\.orders › invariant\(gross_margin ≤ amount\): 1 offending row\(s\), e\.g\. O1/);
    expect(result.outcomes.find((o) => o.step.id === 'publish')!.status).toBe('skipped');
    expect(existsSync(publishedPath(warehousePath))).toBe(false);
  });

  it('a missing required file fails its extract step with the paths it looked for', async () => {
    const dataDir = writeTinyCompany();
    rmSync(join(dataDir, 'crm', 'orders.csv'));
    rmSync(join(dataDir, 'crm', 'ticket_events.csv')); // optional: fine
    warehousePath = join(tempDir(), 'warehouse.duckdb');
    const result = await runPipeline({ dataDir, warehousePath, config, runId: 'run-1' });
    expect(result.error).toMatch(/^extract:crm\.orders: crm\.orders \(.*\): no file delivered; looked for .*crm\/orders\.csv/);
    const events = result.outcomes.find((o) => o.step.id === 'extract:crm.ticket_events')!;
    expect(events).toMatchObject({ status: 'done', output: { status: 'absent' } });
  });
});
