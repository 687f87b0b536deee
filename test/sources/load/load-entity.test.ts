/**
 * How a load behaves: it reconciles, it is idempotent, it refuses broken files without touching
 * what was loaded before, and it reads every supported format.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tickets } from '../../../sources/crm/tickets.ts';
import { interactions } from '../../../sources/crm/interactions.ts';
import { loadEntity, LoadError } from '../../../sources/load/load-entity.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { validRows } from '../../fixtures/valid-rows.ts';
import { csvText, tempDir, writeFile } from '../../fixtures/csv.ts';

const ticketColumns = Object.keys(tickets.schema.shape);
const ticket = (id: string, changes: Record<string, string> = {}): Record<string, string> => ({ ...validRows['crm.tickets']!, ticket_id: id, ...changes });
const interaction = (id: string, occurredAt: string) => ({ ...validRows['crm.interactions']!, interaction_id: id, occurred_at: occurredAt });

let warehouse: Warehouse;
let dir: string;
beforeEach(async () => {
  warehouse = await Warehouse.open(':memory:');
  dir = tempDir();
});
afterEach(() => warehouse.close());

const count = async (sql: string) => (await warehouse.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${sql}`)).n;

describe('a file with good and bad rows', () => {
  it('loads the good ones, quarantines the bad ones and reconciles', async () => {
    const path = writeFile(
      join(dir, 'crm/tickets.csv'),
      csvText(ticketColumns, [
        ticket('T1'),
        ticket('T2', { priority: 'URGENT' }),
        ticket('T3', { resolved_at: '2022-02-01T09:00:00Z' }), // before created_at
        ticket('T4', { category: 'billing, "refund"' }), // quoting survives
        ticket('T5', { contacts: '-1' }), // optional: loads with contacts NULL
      ]),
    );
    const result = await loadEntity(warehouse, { contract: tickets, path, loadId: 'L1' });

    expect(result).toMatchObject({ rowsRead: 5, rowsLoaded: 3, rowsQuarantined: 2, fieldsNulled: 1 });
    expect(result.rowsRead).toBe(result.rowsLoaded + result.rowsQuarantined);
    expect(await warehouse.all(`SELECT source_row, field, reason FROM quarantine.crm_tickets ORDER BY source_row`)).toEqual([
      { source_row: 3, field: 'priority', reason: "priority: expected one of urgent, high, normal, low, got 'URGENT'" },
      { source_row: 4, field: 'resolved_at', reason: 'resolved_at: resolved_at is before created_at' },
    ]);
    expect(await warehouse.all(`SELECT source_row, field, reason FROM quarantine.crm_tickets_fields`)).toEqual([
      { source_row: 6, field: 'contacts', reason: "contacts: expected a value ≥ 0, got '-1'" },
    ]);
    const [record] = await warehouse.all<{ record: string }>(`SELECT record FROM quarantine.crm_tickets WHERE source_row = 3`);
    expect(JSON.parse(record!.record)).toMatchObject({ ticket_id: 'T2', priority: 'URGENT' }); // nothing lost
    expect(await warehouse.all(`SELECT category FROM raw.crm_tickets WHERE ticket_id = 'T4'`)).toEqual([{ category: 'billing, "refund"' }]);
    expect(await warehouse.all(`SELECT rows_read, rows_loaded, rows_quarantined, fields_nulled, status FROM meta.load_log`)).toEqual([
      { rows_read: 5, rows_loaded: 3, rows_quarantined: 2, fields_nulled: 1, status: 'loaded' },
    ]);
  });

  it('stores timestamps with an offset as UTC', async () => {
    const path = writeFile(join(dir, 'crm/tickets.csv'), csvText(ticketColumns, [ticket('T1', { created_at: '2022-02-02T09:00:00+08:00', first_response_at: '' })]));
    await loadEntity(warehouse, { contract: tickets, path, loadId: 'L1' });
    expect(await warehouse.all(`SELECT CAST(created_at AS VARCHAR) AS t FROM raw.crm_tickets`)).toEqual([{ t: '2022-02-02 01:00:00' }]);
  });

  it('quarantines a malformed line with its line number and keeps the lines after it right', async () => {
    const text = csvText(ticketColumns, [ticket('T1'), ticket('T2'), ticket('T3', { priority: 'x' })]);
    const lines = text.split('\n');
    lines.splice(2, 0, 'T9,C1,only-three-fields'); // becomes line 3
    const path = writeFile(join(dir, 'crm/tickets.csv'), lines.join('\n'));
    const result = await loadEntity(warehouse, { contract: tickets, path, loadId: 'L1' });

    expect(result).toMatchObject({ rowsRead: 4, rowsLoaded: 2, rowsQuarantined: 2 });
    const rows = await warehouse.all<{ source_row: number; reason: string }>(`SELECT source_row, reason FROM quarantine.crm_tickets ORDER BY source_row`);
    expect(rows.map((r) => r.source_row)).toEqual([3, 5]);
    expect(rows[0]!.reason).toMatch(/^malformed CSV line/);
    expect(await warehouse.all(`SELECT ticket_id, source_row FROM raw.crm_tickets ORDER BY 2`)).toEqual([
      { ticket_id: 'T1', source_row: 2 },
      { ticket_id: 'T2', source_row: 4 },
    ]);
  });

  it('reports the right line in a large file read by several threads', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => ticket(`T${i}`));
    rows[54_321] = ticket('BAD', { channel: 'pigeon' });
    const path = writeFile(join(dir, 'crm/tickets.csv'), csvText(ticketColumns, rows));
    await loadEntity(warehouse, { contract: tickets, path, loadId: 'L1' });
    expect(await warehouse.all(`SELECT source_row, field FROM quarantine.crm_tickets`)).toEqual([{ source_row: 54_323, field: 'channel' }]);
    expect(await warehouse.all(`SELECT source_row FROM raw.crm_tickets WHERE ticket_id = 'T59999'`)).toEqual([{ source_row: 60_001 }]);
  });
});

describe('reruns', () => {
  it('replace the rows of the same load id instead of duplicating them', async () => {
    const path = writeFile(join(dir, 'crm/tickets.csv'), csvText(ticketColumns, [ticket('T1'), ticket('T2', { priority: 'x' })]));
    await loadEntity(warehouse, { contract: tickets, path, loadId: 'L1' });
    await loadEntity(warehouse, { contract: tickets, path, loadId: 'L1' });
    expect(await count('raw.crm_tickets')).toBe(1);
    expect(await count('quarantine.crm_tickets')).toBe(1);
    expect(await count('meta.load_log')).toBe(1);
  });

  it('of a full entity under a new load id supersede the previous load', async () => {
    const path = writeFile(join(dir, 'crm/tickets.csv'), csvText(ticketColumns, [ticket('T1'), ticket('T2')]));
    await loadEntity(warehouse, { contract: tickets, path, loadId: 'L1' });
    await loadEntity(warehouse, { contract: tickets, path, loadId: 'L2' });
    expect(await warehouse.all(`SELECT load_id, count(*)::INT AS n FROM raw.crm_tickets GROUP BY 1`)).toEqual([{ load_id: 'L2', n: 2 }]);
  });

  it('of an incremental entity skip rows at or before the watermark, and count them', async () => {
    const columns = Object.keys(interactions.schema.shape);
    const path = join(dir, 'crm/interactions.csv');
    writeFile(path, csvText(columns, [interaction('I1', '2022-01-01T00:00:00Z'), interaction('I2', '2022-01-02T00:00:00Z')]));
    await loadEntity(warehouse, { contract: interactions, path, loadId: 'L1' });

    writeFile(path, csvText(columns, [interaction('I1', '2022-01-01T00:00:00Z'), interaction('I2', '2022-01-02T00:00:00Z'), interaction('I3', '2022-01-03T00:00:00Z')]));
    const second = await loadEntity(warehouse, { contract: interactions, path, loadId: 'L2' });
    expect(second).toMatchObject({ rowsInFile: 3, rowsSkipped: 2, rowsRead: 1, rowsLoaded: 1, watermarkBefore: '2022-01-02 00:00:00', watermarkAfter: '2022-01-03 00:00:00' });

    const again = await loadEntity(warehouse, { contract: interactions, path, loadId: 'L2' }); // a retry of L2
    expect(again).toMatchObject({ rowsSkipped: 2, rowsLoaded: 1 });
    expect(await count('raw.crm_interactions')).toBe(3);
  });
});

describe('a file that cannot be loaded', () => {
  async function loadGoodFirst() {
    const path = writeFile(join(dir, 'crm/tickets.csv'), csvText(ticketColumns, [ticket('T1'), ticket('T2')]));
    await loadEntity(warehouse, { contract: tickets, path, loadId: 'L1' });
    return path;
  }

  it('a truncated file stops the load and keeps the previous data', async () => {
    const path = await loadGoodFirst();
    const text = csvText(ticketColumns, [ticket('T1'), ticket('T2'), ticket('T3')]);
    writeFileSync(path, text.slice(0, text.length - 40)); // cut off mid-row, no final line end

    const failure = loadEntity(warehouse, { contract: tickets, path, loadId: 'L2' });
    await expect(failure).rejects.toThrow(LoadError);
    await expect(failure).rejects.toThrow(/crm\.tickets .*tickets\.csv.*looks truncated: its last line \(4\)/);
    expect(await warehouse.all(`SELECT load_id, count(*)::INT AS n FROM raw.crm_tickets GROUP BY 1`)).toEqual([{ load_id: 'L1', n: 2 }]);
    expect(await warehouse.all(`SELECT load_id, status FROM meta.load_log ORDER BY load_id`)).toMatchObject([
      { load_id: 'L1', status: 'loaded' },
      { load_id: 'L2', status: 'failed' },
    ]);
  });

  it('a missing required column stops the load, names the column and keeps the previous data', async () => {
    const path = await loadGoodFirst();
    writeFileSync(path, csvText(ticketColumns.filter((c) => c !== 'priority'), [ticket('T3')]));
    await expect(loadEntity(warehouse, { contract: tickets, path, loadId: 'L2' })).rejects.toThrow(
      /missing required column\(s\) priority; the file has: ticket_id,/,
    );
    expect(await count('raw.crm_tickets')).toBe(2);
  });

  it('an unreadable file is a clear error', async () => {
    const path = writeFile(join(dir, 'crm/tickets.parquet'), 'this is not parquet');
    await expect(loadEntity(warehouse, { contract: tickets, path, loadId: 'L1' })).rejects.toThrow(/cannot read the file as parquet/);
  });

  it('an empty file or a header naming a column twice is a clear error', async () => {
    const empty = writeFile(join(dir, 'crm/empty.csv'), '');
    await expect(loadEntity(warehouse, { contract: tickets, path: empty, loadId: 'L1' })).rejects.toThrow(/empty\.csv is empty: expected a header line/);
    const twice = writeFile(join(dir, 'crm/twice.csv'), `${ticketColumns.join(',')},priority\n`);
    await expect(loadEntity(warehouse, { contract: tickets, path: twice, loadId: 'L1' })).rejects.toThrow(/column "priority" appears twice in the header/);
  });

  it('a missing nullable column loads as NULL and is reported', async () => {
    const path = writeFile(join(dir, 'crm/tickets.csv'), csvText(ticketColumns.filter((c) => c !== 'agent_id'), [ticket('T1')]));
    const result = await loadEntity(warehouse, { contract: tickets, path, loadId: 'L1' });
    expect(result.missingColumns).toEqual(['agent_id']);
    expect(await warehouse.all(`SELECT agent_id FROM raw.crm_tickets`)).toEqual([{ agent_id: null }]);
  });

  it('unknown extra columns are kept in raw as JSON and reported', async () => {
    const path = writeFile(join(dir, 'crm/tickets.csv'), csvText([...ticketColumns, 'mood'], [{ ...ticket('T1'), mood: 'happy' }]));
    const result = await loadEntity(warehouse, { contract: tickets, path, loadId: 'L1' });
    expect(result.extraColumns).toEqual(['mood']);
    expect(await warehouse.all(`SELECT extra_columns FROM raw.crm_tickets`)).toEqual([{ extra_columns: '{"mood":"happy"}' }]);
  });
});

describe('formats', () => {
  it('reads Parquet and JSON Lines with the same checks as CSV', async () => {
    const csv = writeFile(join(dir, 'csv/tickets.csv'), csvText(ticketColumns, [ticket('T1'), ticket('T2', { priority: 'x' })]));
    const parquet = join(dir, 'tickets.parquet');
    await warehouse.run(`COPY (SELECT * FROM read_csv('${csv}', all_varchar = true)) TO '${parquet}' (FORMAT parquet)`);
    const jsonl = join(dir, 'tickets.jsonl');
    writeFileSync(jsonl, '');
    for (const row of [ticket('T1'), ticket('T2', { priority: 'x' })]) {
      const typed = { ...row, is_complaint: row['is_complaint'] === 'true', contacts: Number(row['contacts']), closed_at: row['closed_at'] || null };
      appendFileSync(jsonl, `${JSON.stringify(typed)}\n`);
    }
    for (const [path, loadId] of [[parquet, 'P'], [jsonl, 'J']] as const) {
      const result = await loadEntity(warehouse, { contract: tickets, path, loadId });
      expect(result).toMatchObject({ rowsRead: 2, rowsLoaded: 1, rowsQuarantined: 1 });
      expect(await warehouse.all(`SELECT source_row, field FROM quarantine.crm_tickets WHERE load_id = '${loadId}'`)).toEqual([
        { source_row: 2, field: 'priority' },
      ]);
    }
  });

  it('accepts typed Parquet timestamps as UTC instants', async () => {
    const parquet = join(dir, 'interactions.parquet');
    await warehouse.run(`COPY (SELECT 'I1' AS interaction_id, 'C1' AS customer_id, TIMESTAMP '2022-01-01 08:00:00' AS occurred_at,
      'app' AS channel, 'login' AS kind) TO '${parquet}' (FORMAT parquet)`);
    const result = await loadEntity(warehouse, { contract: interactions, path: parquet, loadId: 'L1' });
    expect(result.rowsLoaded).toBe(1);
    expect(await warehouse.all(`SELECT CAST(occurred_at AS VARCHAR) AS t FROM raw.crm_interactions`)).toEqual([{ t: '2022-01-01 08:00:00' }]);
  });
});
