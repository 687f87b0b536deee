/**
 * Whole runs on deliveries with a few hostile rows: a bad row is quarantined and the night still
 * publishes; a delivery that is mostly bad fails its entity and keeps the previous publication.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { publishedPath } from '../../../warehouse/publish.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../../fixtures/company.ts';
import { tempDir } from '../../fixtures/csv.ts';
import { validRows } from '../../fixtures/valid-rows.ts';

const ticket = validRows['crm.tickets']!;
const order = validRows['crm.orders']!;

async function readPublished<T extends object>(warehousePath: string, sql: string): Promise<T[]> {
  const published = await Warehouse.open(publishedPath(warehousePath), { readOnly: true });
  try {
    return await published.all<T>(sql);
  } finally {
    published.close();
  }
}

/** The latest month any mart reports (projections of the investment case excepted). */
async function latestMartMonth(warehousePath: string): Promise<string> {
  const published = await Warehouse.open(publishedPath(warehousePath), { readOnly: true });
  try {
    const tables = await published.all<{ table_name: string; projected: boolean }>(`
      SELECT table_name, bool_or(column_name = 'projected') AS projected FROM information_schema.columns
      WHERE table_schema = 'marts' GROUP BY table_name HAVING bool_or(column_name = 'month') ORDER BY 1`);
    expect(tables.length).toBeGreaterThan(5);
    const latest = await published.one<{ m: string | null }>(
      `SELECT CAST(max(m) AS VARCHAR) AS m FROM (${tables
        .map((t) => `SELECT max(CAST(month AS DATE)) AS m FROM marts.${t.table_name}${t.projected ? ' WHERE NOT projected' : ''}`)
        .join(' UNION ALL ')})`,
    );
    return latest.m!;
  } finally {
    published.close();
  }
}

describe('a run on a delivery with hostile rows', () => {
  it('quarantines a ticket dated 2099, loads an order with a margin above its amount without that margin, and publishes', async () => {
    const dataDir = writeTinyCompany({
      'crm.tickets': [{ ...ticket, ticket_id: 'T2099', created_at: '2099-01-01T00:00:00Z', first_response_at: '', resolved_at: '', closed_at: '' }],
      'crm.orders': [{ ...order, order_id: 'O-MARGIN', amount: '10.00', gross_margin: '11.00' }, { ...order, order_id: 'O2' }, { ...order, order_id: 'O3' }],
    });
    const warehousePath = join(tempDir(), 'warehouse.duckdb');
    const result = await runPipeline({ dataDir, warehousePath, config: tinyCompanyConfig(), runId: 'hostile-1' });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('succeeded');
    const warehouse = await Warehouse.open(warehousePath, { readOnly: true });
    try {
      expect(await warehouse.all(`SELECT field FROM quarantine.crm_tickets`)).toEqual([{ field: 'created_at' }]);
      // gross_margin is optional (the configured margin rate applies when it is empty): the order still counts
      expect(await warehouse.all(`SELECT field FROM quarantine.crm_orders`)).toEqual([]);
      expect(await warehouse.all(`SELECT field, value FROM quarantine.crm_orders_fields`)).toEqual([{ field: 'gross_margin', value: '11.00' }]);
      expect(await warehouse.all(`SELECT gross_margin FROM raw.crm_orders WHERE order_id = 'O-MARGIN'`)).toEqual([{ gross_margin: null }]);
      expect(await warehouse.all(`SELECT entity, field, nulled FROM marts.data_quality_fields WHERE nulled > 0`)).toEqual([{ entity: 'orders', field: 'gross_margin', nulled: 1 }]);
    } finally {
      warehouse.close();
    }
    const asOf = new Date().toISOString().slice(0, 7);
    expect((await latestMartMonth(warehousePath)).slice(0, 7) <= asOf).toBe(true);
  });

  it('fails an entity whose rows are all quarantined and keeps the previous publication', async () => {
    const warehousePath = join(tempDir(), 'warehouse.duckdb');
    const good = await runPipeline({ dataDir: writeTinyCompany(), warehousePath, config: tinyCompanyConfig(), runId: 'good-1' });
    expect(good.status).toBe('succeeded');

    const badDir = writeTinyCompany({ 'crm.orders': [{ ...order, order_id: 'O2', amount: 'n/a' }] });
    // every order bad: the fixture's valid order is replaced by a broken one
    const { writeFileSync, readFileSync } = await import('node:fs');
    const ordersCsv = join(badDir, 'crm', 'orders.csv');
    writeFileSync(ordersCsv, readFileSync(ordersCsv, 'utf8').replace('120.50', 'twelve'));
    const bad = await runPipeline({ dataDir: badDir, warehousePath, config: tinyCompanyConfig(), runId: 'bad-1' });
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(/^extract:crm\.orders: crm\.orders \(.*orders\.csv\): 2 of 2 rows \(100%\) would be quarantined: every row; the previous data is kept/m);
    expect(bad.outcomes.find((o) => o.step.id === 'publish')?.status).toBe('skipped');
    expect(await readPublished(warehousePath, `SELECT run_id, status FROM meta.runs ORDER BY run_id`)).toEqual([{ run_id: 'good-1', status: 'published' }]);
    expect(await readPublished(warehousePath, `SELECT load_id, rows FROM marts.data_quality WHERE entity = 'orders'`)).toEqual([{ load_id: 'good-1', rows: 1 }]);
  });
});
