/**
 * Field-level severities: a bad value in an optional (nullable) field does not cost the row. The
 * row loads with that field NULL, and the value as delivered is kept with its reason in
 * quarantine.<entity>_fields. A bad required field, key or watermark still quarantines the row,
 * and so does a field whose contract says its NULL would mean something else (a resolved ticket
 * would look open). Either way the load reconciles: rows read = rows loaded + rows quarantined.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { z } from 'zod';
import { col, defineEntity, notBefore } from '../../../sources/contract.ts';
import { tickets } from '../../../sources/crm/tickets.ts';
import { orders } from '../../../sources/crm/orders.ts';
import { ticketEvents } from '../../../sources/crm/ticket-events.ts';
import { surveys } from '../../../sources/crm/surveys.ts';
import { loadEntity } from '../../../sources/load/load-entity.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { csvText, tempDir, writeFile } from '../../fixtures/csv.ts';
import { validRows } from '../../fixtures/valid-rows.ts';

const ticketColumns = Object.keys(tickets.schema.shape);
const ticket = (id: string, changes: Record<string, string> = {}): Record<string, string> => ({ ...validRows['crm.tickets']!, ticket_id: id, ...changes });

let warehouse: Warehouse;
let dir: string;
beforeEach(async () => {
  warehouse = await Warehouse.open(':memory:');
  dir = tempDir();
});
afterEach(() => warehouse.close());

async function loadTickets(rows: Array<Record<string, string>>, loadId = 'L1') {
  const path = writeFile(join(dir, 'crm/tickets.csv'), csvText(ticketColumns, rows));
  return loadEntity(warehouse, { contract: tickets, path, loadId });
}

const fieldIssues = () =>
  warehouse.all(`SELECT load_id, source_row, field, value, reason FROM quarantine.crm_tickets_fields ORDER BY source_row, field`);

describe('a bad value in an optional field', () => {
  it('loads the row with that field NULL and records one field-level issue', async () => {
    const result = await loadTickets([
      ticket('T1'),
      ticket('T2', { first_response_at: '2022-02-01T09:00:00Z' }), // before created_at: a row rule on a nullable field
      ticket('T3', { handle_seconds: 'ten minutes' }), // unparsable optional count
    ]);

    expect(result).toMatchObject({ rowsRead: 3, rowsLoaded: 3, rowsQuarantined: 0, fieldsNulled: 2 });
    expect(await warehouse.all(`SELECT ticket_id, first_response_at IS NULL AS no_response, handle_seconds FROM raw.crm_tickets ORDER BY 1`)).toEqual([
      { ticket_id: 'T1', no_response: false, handle_seconds: 600 },
      { ticket_id: 'T2', no_response: true, handle_seconds: 600 },
      { ticket_id: 'T3', no_response: false, handle_seconds: null },
    ]);
    expect(await fieldIssues()).toEqual([
      { load_id: 'L1', source_row: 3, field: 'first_response_at', value: '2022-02-01T09:00:00Z', reason: 'first_response_at: first_response_at is before created_at' },
      { load_id: 'L1', source_row: 4, field: 'handle_seconds', value: 'ten minutes', reason: "handle_seconds: expected an integer, got 'ten minutes'" },
    ]);
    expect(await warehouse.all(`SELECT rows_read, rows_loaded, rows_quarantined, fields_nulled FROM meta.load_log`)).toEqual([
      { rows_read: 3, rows_loaded: 3, rows_quarantined: 0, fields_nulled: 2 },
    ]);
  });

  it('counts a row with several nulled fields once, as loaded', async () => {
    const result = await loadTickets([ticket('T1', { contacts: '-1', reopened: 'x', agent_id: ' ' })]);
    expect(result).toMatchObject({ rowsRead: 1, rowsLoaded: 1, rowsQuarantined: 0, fieldsNulled: 3 });
    expect((await fieldIssues()).map((i) => (i as { field: string }).field)).toEqual(['agent_id', 'contacts', 'reopened']);
  });

  it('quarantines the row when a required field is bad too, with no field-level issue for it', async () => {
    const result = await loadTickets([ticket('T1'), ticket('T2', { priority: 'URGENT', handle_seconds: 'x' })]);
    expect(result).toMatchObject({ rowsRead: 2, rowsLoaded: 1, rowsQuarantined: 1, fieldsNulled: 0 });
    expect(await warehouse.all(`SELECT source_row, field FROM quarantine.crm_tickets`)).toEqual([{ source_row: 3, field: 'priority' }]);
    expect(await fieldIssues()).toEqual([]);
  });

  it('rerunning the load id replaces its field-level issues', async () => {
    await loadTickets([ticket('T1', { contacts: '-1' })]);
    await loadTickets([ticket('T1', { contacts: '-2' })]);
    expect(await fieldIssues()).toEqual([
      { load_id: 'L1', source_row: 2, field: 'contacts', value: '-2', reason: "contacts: expected a value ≥ 0, got '-2'" },
    ]);
  });
});

describe('a backfill window', () => {
  it('replaces the field-level issues earlier loads recorded for its rows, and keeps the others', async () => {
    const survey = (id: string, at: string, ticketId: string) => ({ ...validRows['crm.surveys']!, response_id: id, responded_at: at, ticket_id: ticketId });
    const file = (name: string, rows: Array<Record<string, string>>) => writeFile(join(dir, `${name}.csv`), csvText(Object.keys(surveys.schema.shape), rows));
    await loadEntity(warehouse, { contract: surveys, path: file('nightly', [survey('S1', '2024-01-10T00:00:00Z', ' '), survey('S2', '2024-02-10T00:00:00Z', ' ')]), loadId: 'nightly' });
    await loadEntity(warehouse, { contract: surveys, path: file('january', [survey('S1', '2024-01-10T00:00:00Z', 'T1')]), loadId: 'b1', window: { from: '2024-01-01', to: '2024-02-01' } });
    expect(await warehouse.all(`SELECT load_id, source_row, field FROM quarantine.crm_surveys_fields`)).toEqual([{ load_id: 'nightly', source_row: 3, field: 'ticket_id' }]);
    expect(await warehouse.all(`SELECT response_id, ticket_id, load_id FROM raw.crm_surveys ORDER BY 1`)).toEqual([
      { response_id: 'S1', ticket_id: 'T1', load_id: 'b1' },
      { response_id: 'S2', ticket_id: null, load_id: 'nightly' },
    ]);
  });
});

describe('checks that still reject the row', () => {
  it('a bad required field quarantines the row, and the load reconciles', async () => {
    const result = await loadTickets([ticket('T1'), ticket('T2', { created_at: '2022-02-02 09:00' }), ticket('T3', { customer_id: '' })]);
    expect(result).toMatchObject({ rowsRead: 3, rowsLoaded: 1, rowsQuarantined: 2, fieldsNulled: 0 });
    expect(result.rowsRead).toBe(result.rowsLoaded + result.rowsQuarantined);
    expect(await warehouse.all(`SELECT source_row, field FROM quarantine.crm_tickets ORDER BY 1`)).toEqual([
      { source_row: 3, field: 'created_at' },
      { source_row: 4, field: 'customer_id' },
    ]);
  });

  it('a resolution before the opening rejects the ticket: a NULL resolved_at would make it look open', async () => {
    const result = await loadTickets([ticket('T1', { resolved_at: '2022-02-01T09:00:00Z' }), ticket('T2', { closed_at: '2021-01-01T00:00:00Z' })]);
    expect(result).toMatchObject({ rowsRead: 2, rowsLoaded: 0, rowsQuarantined: 2, fieldsNulled: 0 });
  });

  it('a bad watermark rejects the row', async () => {
    const path = writeFile(join(dir, 'crm/ticket_events.csv'), csvText(Object.keys(ticketEvents.schema.shape), [{ ...validRows['crm.ticket_events']!, at: 'yesterday' }]));
    expect(await loadEntity(warehouse, { contract: ticketEvents, path, loadId: 'L1' })).toMatchObject({ rowsLoaded: 0, rowsQuarantined: 1 });
  });

  it('a nulled field and a rejected row in one file reconcile', async () => {
    const order = validRows['crm.orders']!;
    const path = writeFile(
      join(dir, 'crm/orders.csv'),
      csvText(Object.keys(orders.schema.shape), [
        order,
        { ...order, order_id: 'O2', amount: '10.00', gross_margin: '10.01' }, // margin above amount: the configured rate applies instead
        { ...order, order_id: 'O3', amount: '12,50' },
      ]),
    );
    const result = await loadEntity(warehouse, { contract: orders, path, loadId: 'L1' });
    expect(result).toMatchObject({ rowsRead: 3, rowsLoaded: 2, rowsQuarantined: 1, fieldsNulled: 1 });
    expect(await warehouse.all(`SELECT order_id, gross_margin FROM raw.crm_orders WHERE order_id = 'O2'`)).toEqual([{ order_id: 'O2', gross_margin: null }]);
  });
});

describe('contract overrides', () => {
  const schema = z.object({ id: col.id(), opened: col.timestamp(), done: col.timestamp().nullable(), note: col.text().nullable() });

  it('a contract may make a nullable field reject its row', async () => {
    const strict = defineEntity({ source: 'crm', entity: 'strict_things', description: 'test', schema, key: ['id'], severity: { note: 'reject' } });
    const path = writeFile(join(dir, 'crm/strict_things.csv'), csvText(Object.keys(schema.shape), [{ id: 'A', opened: '2022-01-01T00:00:00Z', done: '', note: 'a\u0001b' }]));
    expect(await loadEntity(warehouse, { contract: strict, path, loadId: 'L1' })).toMatchObject({ rowsLoaded: 0, rowsQuarantined: 1 });
  });

  it('a row rule may reject its row although its field is nullable', async () => {
    const strict = defineEntity({
      source: 'crm', entity: 'strict_rules', description: 'test', schema, key: ['id'],
      rules: [{ ...notBefore('done', 'opened'), severity: 'reject' }],
    });
    const path = writeFile(join(dir, 'crm/strict_rules.csv'), csvText(Object.keys(schema.shape), [{ id: 'A', opened: '2022-01-02T00:00:00Z', done: '2022-01-01T00:00:00Z', note: '' }]));
    expect(await loadEntity(warehouse, { contract: strict, path, loadId: 'L1' })).toMatchObject({ rowsLoaded: 0, rowsQuarantined: 1 });
  });

  it('refuses null_field on a required field, a key or the watermark', () => {
    const define = (severity: Record<string, 'null_field'>, watermark?: string) =>
      defineEntity({ source: 'crm', entity: 'x', description: 'test', schema: schema.extend({ ref: col.id().nullable() }), key: ['id', 'ref'], severity, ...(watermark ? { watermark } : {}) });
    expect(() => define({ opened: 'null_field' })).toThrow(/opened.*required/);
    expect(() => define({ ref: 'null_field' })).toThrow(/ref.*key/);
    expect(() => define({ done: 'null_field' }, 'done')).toThrow(/done.*watermark/);
    expect(() => define({ note: 'null_field' })).not.toThrow();
  });
});
