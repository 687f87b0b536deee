/**
 * Hostile and messy deliveries: each is either loaded with every row accounted for (rows read =
 * loaded + quarantined, the reason stored) or refused whole with a message naming the file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityContract } from '../../../sources/contract.ts';
import { customers } from '../../../sources/crm/customers.ts';
import { orders } from '../../../sources/crm/orders.ts';
import { referrals } from '../../../sources/crm/referrals.ts';
import { surveys } from '../../../sources/crm/surveys.ts';
import { tickets } from '../../../sources/crm/tickets.ts';
import { loadEntity, LoadError } from '../../../sources/load/load-entity.ts';
import { literal, Warehouse } from '../../../warehouse/warehouse.ts';
import { csvText, tempDir, writeFile } from '../../fixtures/csv.ts';
import { validRows } from '../../fixtures/valid-rows.ts';

let warehouse: Warehouse;
let dir: string;
beforeEach(async () => {
  warehouse = await Warehouse.open(':memory:');
  dir = tempDir();
});
afterEach(() => warehouse.close());

const referral = (id: string, changes: Record<string, string> = {}): Record<string, string> => ({ ...validRows['crm.referrals']!, referral_id: id, ...changes });
const referralColumns = Object.keys(referrals.schema.shape);

describe('paths are literal', () => {
  it.each(['in*', 'in?', 'in[b]ox', 'in[*]'])('a data folder named %s reads its own file, not every folder the name matches as a pattern', async (name) => {
    writeFile(join(dir, name, 'crm/referrals.csv'), csvText(referralColumns, [referral('F1')]));
    // folders the name would match as a glob pattern
    for (const other of ['inbox', 'in1', 'inb', 'in*x', 'in[*]']) {
      if (other !== name) writeFile(join(dir, other, 'crm/referrals.csv'), csvText(referralColumns, [referral(`X-${other}`), referral(`Y-${other}`)]));
    }
    const path = join(dir, name, 'crm/referrals.csv');
    const result = await loadEntity(warehouse, { contract: referrals, path, loadId: 'L1' });
    expect(result).toMatchObject({ rowsRead: 1, rowsLoaded: 1 });
    expect(await warehouse.all(`SELECT referral_id FROM raw.crm_referrals`)).toEqual([{ referral_id: 'F1' }]);
  });

  it('the same for Parquet and JSON Lines', async () => {
    for (const name of ['in*', 'inbox']) {
      const csv = writeFile(join(dir, 'csv', `${name}.csv`), csvText(referralColumns, [referral(`F-${name}`), ...(name === 'in*' ? [] : [referral('X')])]));
      mkdirSync(join(dir, name, 'crm'), { recursive: true });
      const parquet = join(dir, 'csv', `${name === 'in*' ? 'star' : name}.parquet`);
      await warehouse.run(`COPY (SELECT * FROM read_csv(${literal(csv.replace('*', '[*]'))}, all_varchar = true)) TO ${literal(parquet)} (FORMAT parquet)`);
      renameSync(parquet, join(dir, name, 'crm/referrals.parquet'));
      const rows = name === 'in*' ? [referral(`F-${name}`)] : [referral('X'), referral('Y')];
      writeFileSync(join(dir, name, 'crm/referrals.jsonl'), rows.map((r) => `${JSON.stringify({ ...r, converted: true })}\n`).join(''));
    }
    for (const file of ['referrals.parquet', 'referrals.jsonl']) {
      const result = await loadEntity(warehouse, { contract: referrals, path: join(dir, 'in*', 'crm', file), loadId: 'L1' });
      expect(result).toMatchObject({ rowsRead: 1, rowsLoaded: 1 });
    }
  });
});

const order = (id: string, changes: Record<string, string> = {}) => ({ ...validRows['crm.orders']!, order_id: id, ...changes });
const ticketRow = (id: string, changes: Record<string, string> = {}) => ({ ...validRows['crm.tickets']!, ticket_id: id, ...changes });
const customer = (id: string, changes: Record<string, string> = {}) => ({ ...validRows['crm.customers']!, customer_id: id, ...changes });

async function load(contract: EntityContract, rows: Array<Record<string, string>>, text?: string) {
  const path = writeFile(join(dir, `${contract.source}/${contract.entity}.csv`), text ?? csvText(Object.keys(contract.schema.shape), rows));
  const result = await loadEntity(warehouse, { contract, path, loadId: 'L1' });
  const quarantined = await warehouse.all<{ source_row: number; reason: string }>(
    `SELECT source_row, reason FROM quarantine.${contract.source}_${contract.entity} ORDER BY source_row`,
  );
  // values of nullable fields that were set to NULL, the row kept
  const nulled = await warehouse.all<{ source_row: number; reason: string }>(
    `SELECT source_row, reason FROM quarantine.${contract.source}_${contract.entity}_fields ORDER BY source_row, field`,
  );
  return { result, quarantined, nulled };
}

describe('values a column cannot hold never become NULL silently: the row is quarantined, or a nullable field is emptied with the reason', () => {
  it('an amount beyond DECIMAL(18,4), an integer beyond BIGINT', async () => {
    const o = await load(orders, [order('O1'), order('O2', { amount: '1000000000000000' }), order('O3', { gross_margin: '-1000000000000000' })]);
    expect(o.result).toMatchObject({ rowsRead: 3, rowsLoaded: 2, rowsQuarantined: 1, fieldsNulled: 1 });
    expect(o.quarantined).toEqual([
      { source_row: 3, reason: "amount: out of range for DECIMAL(18,4) (at most 14 digits before the decimal point), got '1000000000000000'" },
    ]);
    expect(o.nulled).toEqual([
      { source_row: 4, reason: "gross_margin: out of range for DECIMAL(18,4) (at most 14 digits before the decimal point), got '-1000000000000000'" },
    ]);
    const t = await load(tickets, [ticketRow('T1'), ticketRow('T2', { contacts: '99999999999999999999' })]);
    expect(t.quarantined).toEqual([]);
    expect(t.nulled).toEqual([
      { source_row: 3, reason: "contacts: out of range for BIGINT (−9223372036854775808 to 9223372036854775807), got '99999999999999999999'" },
    ]);
    expect(await warehouse.all(`SELECT count(*)::INT AS n FROM raw.crm_orders WHERE amount IS NULL`)).toEqual([{ n: 0 }]);
  });

  it('the largest values that fit load exactly', async () => {
    const o = await load(orders, [order('O1', { amount: '99999999999999.9999', gross_margin: '-99999999999999.9999' })]);
    expect(o.result.rowsLoaded).toBe(1);
    expect(await warehouse.all(`SELECT CAST(amount AS VARCHAR) AS a FROM raw.crm_orders`)).toEqual([{ a: '99999999999999.9999' }]);
  });
});

describe('ids and labels that only look present', () => {
  it('quarantines a NUL byte or a control character in any text, and an id or label of only whitespace', async () => {
    const c = await load(customers, [
      customer('C1'),
      customer('C2', { segment: 'ret\0ail' }),
      customer('   '),
      customer('C4', { region: ' \t ' }),
      customer('C5\u0007'),
      customer('C6', { email: 'a\0b@example.com' }),
    ]);
    expect(c.result).toMatchObject({ rowsRead: 6, rowsLoaded: 2, rowsQuarantined: 4, fieldsNulled: 1 });
    expect(c.quarantined.map((q) => q.reason.replace(/, got .*$/s, ''))).toEqual([
      'segment: contains a NUL byte or another control character',
      'customer_id: expected a value that is not only whitespace',
      'region: expected a value that is not only whitespace',
      'customer_id: contains a NUL byte or another control character',
    ]);
    // an optional email with a NUL byte is not worth the customer: the row loads without it
    expect(c.nulled).toEqual([{ source_row: 7, reason: "email: contains a NUL byte or another control character, got 'a\0b@example.com'" }]);
    expect(await warehouse.all(`SELECT customer_id, segment, email FROM raw.crm_customers ORDER BY 1`)).toEqual([
      { customer_id: 'C1', segment: 'retail', email: validRows['crm.customers']!.email },
      { customer_id: 'C6', segment: 'retail', email: null },
    ]);
  });

  it('keeps tabs and line breaks in free text (comments, descriptions)', async () => {
    const s = await load(surveys, [{ ...validRows['crm.surveys']!, comment: 'slow\tbut\nfriendly' }]);
    expect(s.result.rowsLoaded).toBe(1);
  });
});

describe('rows dated after the delivery', () => {
  const loadedAt = new Date('2026-12-01T20:00:00Z');
  it('are quarantined beyond the tolerance, on every timestamp and date of the row', async () => {
    const path = writeFile(
      join(dir, 'crm/tickets.csv'),
      csvText(Object.keys(tickets.schema.shape), [
        ticketRow('T1'),
        ticketRow('T2', { created_at: '2099-01-01T00:00:00Z', first_response_at: '', resolved_at: '', closed_at: '' }),
        ticketRow('T3', { created_at: '2026-12-02T19:59:59Z', first_response_at: '', resolved_at: '', closed_at: '' }), // within 24 h
        ticketRow('T4', { closed_at: '2030-06-01T00:00:00Z' }),
      ]),
    );
    const result = await loadEntity(warehouse, { contract: tickets, path, loadId: 'L1', loadedAt, futureToleranceHours: 24 });
    expect(result).toMatchObject({ rowsRead: 4, rowsLoaded: 2, rowsQuarantined: 2 });
    expect(await warehouse.all(`SELECT source_row, reason FROM quarantine.crm_tickets ORDER BY 1`)).toEqual([
      { source_row: 3, reason: 'created_at: dated after the delivery (later than 2026-12-02T20:00:00Z, the load time plus 24 h)' },
      { source_row: 5, reason: 'closed_at: dated after the delivery (later than 2026-12-02T20:00:00Z, the load time plus 24 h)' },
    ]);
  });

  it('dates too (finance.gl_entries.posted_on), but not the ones a contract allows in the future (budgets)', async () => {
    const { glEntries } = await import('../../../sources/finance/gl-entries.ts');
    const { budgets } = await import('../../../sources/finance/budgets.ts');
    const gl = writeFile(join(dir, 'finance/gl_entries.csv'), csvText(Object.keys(glEntries.schema.shape), [{ ...validRows['finance.gl_entries']!, posted_on: '2099-12-31' }]));
    expect(await loadEntity(warehouse, { contract: glEntries, path: gl, loadId: 'L1', loadedAt })).toMatchObject({ rowsQuarantined: 1 });
    const budget = writeFile(join(dir, 'finance/budgets.csv'), csvText(Object.keys(budgets.schema.shape), [{ ...validRows['finance.budgets']!, month: '2027-06-01' }]));
    expect(await loadEntity(warehouse, { contract: budgets, path: budget, loadId: 'L1', loadedAt })).toMatchObject({ rowsLoaded: 1 });
  });
});

describe('a delivery that is mostly bad', () => {
  const mostlyBad = [order('O1'), order('O2', { amount: 'x' }), order('O3', { amount: 'y' })];
  it('fails the entity beyond the configured share of quarantined rows, keeping the previous load', async () => {
    const first = writeFile(join(dir, 'a/crm/orders.csv'), csvText(Object.keys(orders.schema.shape), [order('O1'), order('O2')]));
    await loadEntity(warehouse, { contract: orders, path: first, loadId: 'L1' });
    const bad = writeFile(join(dir, 'b/crm/orders.csv'), csvText(Object.keys(orders.schema.shape), mostlyBad));
    await expect(loadEntity(warehouse, { contract: orders, path: bad, loadId: 'L2', maxQuarantinedShare: 0.5 })).rejects.toThrow(
      "crm.orders (" + bad + "): 2 of 3 rows (67%) would be quarantined, more than load.max_quarantined_share (50%); the previous data is kept. Most frequent reason: amount: expected a number",
    );
    expect(await warehouse.all(`SELECT load_id, count(*)::INT AS n FROM raw.crm_orders GROUP BY 1`)).toEqual([{ load_id: 'L1', n: 2 }]);
    expect(await warehouse.all(`SELECT count(*)::INT AS n FROM quarantine.crm_orders`)).toEqual([{ n: 0 }]);
    expect(await warehouse.all(`SELECT status FROM meta.load_log WHERE load_id = 'L2'`)).toEqual([{ status: 'failed' }]);
  });

  it('every row quarantined fails it whatever the share', async () => {
    const bad = writeFile(join(dir, 'crm/orders.csv'), csvText(Object.keys(orders.schema.shape), [order('O2', { amount: 'x' })]));
    await expect(loadEntity(warehouse, { contract: orders, path: bad, loadId: 'L2', maxQuarantinedShare: 1 })).rejects.toThrow(/1 of 1 rows \(100%\) would be quarantined/);
  });

  it('at or under the share, loads as usual', async () => {
    const bad = writeFile(join(dir, 'crm/orders.csv'), csvText(Object.keys(orders.schema.shape), [...mostlyBad, order('O4')]));
    expect(await loadEntity(warehouse, { contract: orders, path: bad, loadId: 'L2', maxQuarantinedShare: 0.5 })).toMatchObject({ rowsLoaded: 2, rowsQuarantined: 2 });
  });
});

describe('JSON Lines with a malformed line', () => {
  const jsonl = (rows: Array<Record<string, unknown> | string>) =>
    rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
  const good = (id: string) => ({ ...referral(id), converted: true });

  it('quarantines that line with its line number, as for CSV, and loads the rest', async () => {
    const path = writeFile(
      join(dir, 'crm/referrals.jsonl'),
      jsonl([good('F1'), '{"referral_id": "F2", "converted": tru', good('F3'), '', '[1, 2]', good('F6'), '42']),
    );
    const result = await loadEntity(warehouse, { contract: referrals, path, loadId: 'L1' });
    expect(result).toMatchObject({ rowsRead: 6, rowsLoaded: 3, rowsQuarantined: 3 });
    expect(await warehouse.all(`SELECT referral_id, source_row FROM raw.crm_referrals ORDER BY 2`)).toEqual([
      { referral_id: 'F1', source_row: 1 },
      { referral_id: 'F3', source_row: 3 },
      { referral_id: 'F6', source_row: 6 },
    ]);
    const quarantined = await warehouse.all<{ source_row: number; reason: string }>(`SELECT source_row, reason FROM quarantine.crm_referrals ORDER BY 1`);
    expect(quarantined.map((q) => q.source_row)).toEqual([2, 5, 7]);
    expect(quarantined[0]!.reason).toMatch(/^malformed JSON line: /);
    expect(quarantined[1]!.reason).toBe('malformed JSON line: expected an object ({...}), got an array');
  });

  it('reads values as delivered, whatever type each line gives them, and quarantines a bad one', async () => {
    const path = writeFile(join(dir, 'crm/referrals.jsonl'), jsonl([good('F1'), { ...good('F2'), converted: 'maybe' }, { ...good('F3'), referral_id: 3 }]));
    const result = await loadEntity(warehouse, { contract: referrals, path, loadId: 'L1' });
    expect(result).toMatchObject({ rowsRead: 3, rowsLoaded: 2, rowsQuarantined: 1 });
    expect(await warehouse.all(`SELECT reason FROM quarantine.crm_referrals`)).toEqual([{ reason: "converted: expected true or false, got 'maybe'" }]);
  });

  it('refuses a file whose last line was cut off in transfer', async () => {
    const path = writeFile(join(dir, 'crm/referrals.jsonl'), `${JSON.stringify(good('F1'))}\n{"referral_id": "F2", "conv`);
    await expect(loadEntity(warehouse, { contract: referrals, path, loadId: 'L1' })).rejects.toThrow(/looks truncated: its last line \(2\) is incomplete/);
  });
});

describe('line ends DuckDB cannot split', () => {
  it('a file mixing \\r\\n and \\n, or with a carriage return inside a line, loads: the bad line is quarantined', async () => {
    const columns = Object.keys(referrals.schema.shape);
    const line = (r: Record<string, string>) => columns.map((c) => r[c]).join(',');
    const text = `${columns.join(',')}\r\n${line(referral('F1'))}\n${line(referral('F2')).replace('F2', 'F2\r')}\r\n${line(referral('F3'))}\r\n`;
    const path = writeFile(join(dir, 'crm/referrals.csv'), text);
    const result = await loadEntity(warehouse, { contract: referrals, path, loadId: 'L1' });
    expect(result).toMatchObject({ rowsRead: 3, rowsLoaded: 2, rowsQuarantined: 1 });
    expect(await warehouse.all(`SELECT referral_id, source_row, source_file FROM raw.crm_referrals ORDER BY 2`)).toEqual([
      { referral_id: 'F1', source_row: 2, source_file: path },
      { referral_id: 'F3', source_row: 4, source_file: path },
    ]);
    expect(await warehouse.all(`SELECT source_row, field FROM quarantine.crm_referrals`)).toEqual([{ source_row: 3, field: 'referral_id' }]);
  });
});

describe('a carriage return inside the header', () => {
  it('refuses the file, naming the delivered file (not the copy it was read from)', async () => {
    const columns = Object.keys(referrals.schema.shape);
    const text = `${columns.join(',').replace(',converted', ',\rconverted')}\n${columns.map((c) => referral('F1')[c]).join(',')}\n`;
    const path = writeFile(join(dir, 'crm/referrals.csv'), text);
    await expect(loadEntity(warehouse, { contract: referrals, path, loadId: 'L1' })).rejects.toThrow(
      `crm.referrals (${path}): cannot read the file as csv: ${path}: the name of column 5 in the header holds a control character`,
    );
  });
});

describe('header names SQL cannot hold as they are', () => {
  it('a column without a name (a trailing comma) is kept as an extra column', async () => {
    const columns = Object.keys(referrals.schema.shape);
    const text = `${columns.join(',')},\n${columns.map((c) => referral('F1')[c]).join(',')},x\n`;
    const result = await loadEntity(warehouse, { contract: referrals, path: writeFile(join(dir, 'crm/referrals.csv'), text), loadId: 'L1' });
    expect(result).toMatchObject({ rowsLoaded: 1, extraColumns: ['unnamed_6'] });
    const jsonl = `${JSON.stringify({ ...referral('F1'), converted: true, '': 'x' })}\n`;
    const fromJson = await loadEntity(warehouse, { contract: referrals, path: writeFile(join(dir, 'crm/referrals.jsonl'), jsonl), loadId: 'L2' });
    expect(fromJson).toMatchObject({ rowsLoaded: 1, extraColumns: ['unnamed'] });
  });

  it('two names that differ only in case are refused, naming both', async () => {
    const columns = Object.keys(referrals.schema.shape);
    const text = `${columns.join(',')},REFERRAL_ID\n${columns.map((c) => referral('F1')[c]).join(',')},F9\n`;
    const path = writeFile(join(dir, 'crm/referrals.csv'), text);
    await expect(loadEntity(warehouse, { contract: referrals, path, loadId: 'L1' })).rejects.toThrow(
      'columns "referral_id" and "REFERRAL_ID" differ only in case; SQL cannot tell them apart',
    );
  });

  it('a header name with a NUL byte or another control character is refused, naming the column', async () => {
    const columns = Object.keys(referrals.schema.shape);
    const text = `${columns.join(',').replace('converted', 'conv\0erted')}\n${columns.map((c) => referral('F1')[c]).join(',')}\n`;
    const path = writeFile(join(dir, 'crm/referrals.csv'), text);
    const failure = (await loadEntity(warehouse, { contract: referrals, path, loadId: 'L1' }).then(() => null, (e: unknown) => e)) as LoadError;
    expect(failure).toBeInstanceOf(LoadError);
    expect(failure.message).toContain('the name of column 5 in the header holds a control character ("conv\\u0000erted")');
    expect(failure.cause).toBeUndefined();
  });

  it('a JSON Lines file starting with a byte order mark loads', async () => {
    const path = writeFile(join(dir, 'crm/referrals.jsonl'), `\uFEFF${JSON.stringify({ ...referral('F1'), converted: true })}\n`);
    expect(await loadEntity(warehouse, { contract: referrals, path, loadId: 'L1' })).toMatchObject({ rowsLoaded: 1 });
  });
});
