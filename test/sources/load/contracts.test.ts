/**
 * Every contract refuses every kind of bad value its schema forbids, and says where: file,
 * line and field. A bad value of a required field, a key or the watermark quarantines its row;
 * one of a nullable field loads the row with the field NULL and records the value in
 * quarantine.<entity>_fields, unless the contract makes that field reject. The bad values are
 * derived from each zod schema, so a new column or entity is covered without touching this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { z } from 'zod';
import { entities } from '../../../sources/catalog.ts';
import { tableName, type EntityContract } from '../../../sources/contract.ts';
import { loadEntity } from '../../../sources/load/load-entity.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { validRows } from '../../fixtures/valid-rows.ts';
import { csvText, tempDir, writeFile } from '../../fixtures/csv.ts';

interface Property { type?: string | string[]; format?: string; enum?: unknown[]; minimum?: number; maximum?: number; exclusiveMinimum?: number; anyOf?: Property[] }
interface BadValue { column: string; value: string; reason: RegExp; rejects: boolean }

const SAFE = Number.MAX_SAFE_INTEGER;

/** The bad values a column's schema forbids, each with the reason the load must give. */
function badValues(contract: EntityContract): BadValue[] {
  const { properties } = z.toJSONSchema(contract.schema) as { properties: Record<string, Property> };
  const bad: BadValue[] = [];
  for (const [column, property] of Object.entries(properties)) {
    // zod writes a nullable column as anyOf [T, null], or as type ["string", "null"] for plain strings
    const variants = property.anyOf ?? (Array.isArray(property.type) ? property.type.map((type) => ({ ...property, type })) : [property]);
    const p = variants.find((v) => v.type !== 'null')!;
    const nullable = variants.some((v) => v.type === 'null');
    const rejects = !nullable || contract.key.includes(column) || contract.watermark === column || contract.severity?.[column] === 'reject';
    const add = (value: string, reason: RegExp) => bad.push({ column, value, reason, rejects });
    if (!nullable) add('', /missing value/);
    if (p.format === 'date-time') {
      add('yesterday', /ISO 8601/);
      add('2023-07-01 10:00', /ISO 8601/); // no offset: ambiguous time zone
    } else if (p.format === 'date') add('2023-02-30', /date YYYY-MM-DD/);
    else if (p.enum) add('NOT_ALLOWED', /expected one of/);
    else if (p.type === 'integer') add('1.5', /expected an integer/);
    else if (p.type === 'number') add('12,5', /expected a number/);
    else if (p.type === 'boolean') add('maybe', /expected true or false/);
    if (p.minimum !== undefined && p.minimum > -SAFE) add(String(p.minimum - 1), /≥/);
    if (p.exclusiveMinimum !== undefined) add(String(p.exclusiveMinimum), /expected a value >/);
    if (p.maximum !== undefined && p.maximum < SAFE) add(String(p.maximum + 1), /≤/);
  }
  return bad;
}

let warehouse: Warehouse;
const dir = tempDir();
beforeAll(async () => {
  warehouse = await Warehouse.open(':memory:');
});
afterAll(() => warehouse.close());

describe.each(entities.map((e) => [`${e.source}.${e.entity}`, e] as const))('contract %s', (name, contract) => {
  it('loads the valid row and quarantines each bad value with its line, field and reason', async () => {
    const valid = validRows[name]!;
    const bad = badValues(contract);
    const rows = [valid, ...bad.map((b) => ({ ...valid, [b.column]: b.value }))];
    const path = writeFile(join(dir, contract.source, `${contract.entity}.csv`), csvText(Object.keys(contract.schema.shape), rows));

    const result = await loadEntity(warehouse, { contract, path, loadId: 'contract-test' });

    // line 1 is the header, line 2 the valid row, so the i-th bad value is on line i + 3
    const lines = (rejects: boolean) => bad.map((b, i) => ({ ...b, line: i + 3 })).filter((b) => b.rejects === rejects);
    expect(result.rowsRead).toBe(rows.length);
    expect(result.rowsLoaded).toBe(1 + lines(false).length);
    expect(result.rowsQuarantined).toBe(lines(true).length);
    expect(result.fieldsNulled).toBe(lines(false).length);
    for (const [table, expected] of [[tableName(contract), lines(true)], [`${tableName(contract)}_fields`, lines(false)]] as const) {
      const found = await warehouse.all<{ source_file: string; source_row: number; field: string; reason: string }>(
        `SELECT source_file, source_row, field, reason FROM quarantine.${table} WHERE load_id = 'contract-test' ORDER BY source_row`,
      );
      expect(found.map((q) => ({ line: q.source_row, field: q.field, file: q.source_file }))).toEqual(expected.map((b) => ({ line: b.line, field: b.column, file: path })));
      expected.forEach((b, i) => {
        expect(found[i]!.reason).toMatch(b.reason);
        expect(found[i]!.reason.startsWith(`${b.column}: `)).toBe(true);
      });
    }
    for (const b of lines(false)) {
      const [row] = await warehouse.all<{ value: unknown }>(`SELECT ${b.column} AS value FROM raw.${tableName(contract)} WHERE load_id = 'contract-test' AND source_row = ${b.line}`);
      expect(row, `${b.column} on line ${b.line}`).toEqual({ value: null });
    }
  });
});
