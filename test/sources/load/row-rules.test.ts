/**
 * A rule about one row is the contract's: it quarantines the row at load (or, on a nullable
 * field, empties that field), so one bad row never reaches staging, where a data test would
 * fail the whole run. Every row-level invariant a
 * staging model tests must therefore also be a rule of its source contract.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { entities } from '../../../sources/catalog.ts';
import { orders } from '../../../sources/crm/orders.ts';
import { tickets } from '../../../sources/crm/tickets.ts';
import { loadEntity } from '../../../sources/load/load-entity.ts';
import { discoverModels } from '../../../transforms/framework/discover.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { csvText, tempDir, writeFile } from '../../fixtures/csv.ts';
import { validRows } from '../../fixtures/valid-rows.ts';

let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await Warehouse.open(':memory:');
});
afterEach(() => warehouse.close());

describe('row rules', () => {
  it('an order whose gross margin exceeds its amount loads without it (the configured margin rate applies), the value recorded', async () => {
    const order = validRows['crm.orders']!;
    const path = writeFile(
      join(tempDir(), 'crm/orders.csv'),
      csvText(Object.keys(orders.schema.shape), [order, { ...order, order_id: 'O2', amount: '10.00', gross_margin: '10.01' }]),
    );
    const result = await loadEntity(warehouse, { contract: orders, path, loadId: 'L1' });
    expect(result).toMatchObject({ rowsRead: 2, rowsLoaded: 2, rowsQuarantined: 0, fieldsNulled: 1 });
    expect(await warehouse.all(`SELECT source_row, field, value, reason FROM quarantine.crm_orders_fields`)).toEqual([
      { source_row: 3, field: 'gross_margin', value: '10.01', reason: 'gross_margin: gross_margin is greater than amount' },
    ]);
    expect(await warehouse.all(`SELECT gross_margin FROM raw.crm_orders WHERE order_id = 'O2'`)).toEqual([{ gross_margin: null }]);
  });

  it('a rule on a required field, or one its contract makes reject, still quarantines the row', async () => {
    const ticket = validRows['crm.tickets']!;
    const path = writeFile(join(tempDir(), 'crm/tickets.csv'), csvText(Object.keys(tickets.schema.shape), [{ ...ticket, resolved_at: '2020-01-01T00:00:00Z' }]));
    expect(await loadEntity(warehouse, { contract: tickets, path, loadId: 'L1' })).toMatchObject({ rowsLoaded: 0, rowsQuarantined: 1 });
    expect(await warehouse.all(`SELECT field, reason FROM quarantine.crm_tickets`)).toEqual([{ field: 'resolved_at', reason: 'resolved_at: resolved_at is before created_at' }]);
  });

  it('every row-level invariant of a staging model is a rule of its source contract', async () => {
    const staging = (await discoverModels(undefined, ['staging'])).filter((m) => m.dependsOn.some((d) => d.startsWith('raw.')));
    const missing: string[] = [];
    let invariants = 0;
    for (const model of staging) {
      const contract = entities.find((e) => model.dependsOn.includes(`raw.${e.source}_${e.entity}`))!;
      const rules = new Set((contract.rules ?? []).map((r) => r.sql.replace(/\s+/g, ' ')));
      for (const test of model.tests ?? []) {
        const invariant = /^invariant\(/.test(test.name) ? /WHERE NOT \((.*)\)$/s.exec(test.offending('t'))?.[1] : undefined;
        if (invariant === undefined) continue;
        invariants++;
        if (!rules.has(invariant.replace(/\s+/g, ' '))) missing.push(`${model.name}: ${test.name} (${invariant})`);
      }
    }
    expect(invariants).toBeGreaterThanOrEqual(4);
    expect(missing).toEqual([]);
  });
});
