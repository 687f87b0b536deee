/**
 * Turns a model's output contract (a zod object) into data tests: the table has exactly the
 * contract's columns with compatible types, required columns have no NULLs, enums hold only
 * their values and numbers stay within their bounds.
 */
import { z } from 'zod';
import { ident, type Warehouse } from '../../warehouse/warehouse.ts';
import { acceptedValues, notNull, type DataTest } from './data-tests.ts';

interface Property {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  anyOf?: Property[];
}

const SAFE = Number.MAX_SAFE_INTEGER;

export interface ContractColumn {
  name: string;
  nullable: boolean;
  property: Property;
}

export function contractColumns(contract: z.ZodObject): ContractColumn[] {
  const schema = z.toJSONSchema(contract, { unrepresentable: 'throw' }) as { properties: Record<string, Property> };
  return Object.entries(schema.properties).map(([name, property]) => {
    // zod writes a nullable column as anyOf [T, null], or as type ["string", "null"] for plain strings
    const variants = property.anyOf ?? (Array.isArray(property.type) ? property.type.map((type) => ({ ...property, type })) : [property]);
    return {
      name,
      nullable: variants.some((v) => v.type === 'null'),
      property: variants.find((v) => v.type !== 'null') ?? {},
    };
  });
}

export function contractTests(contract: z.ZodObject, key: readonly string[]): DataTest[] {
  const tests: DataTest[] = [];
  for (const column of contractColumns(contract)) {
    const keyColumns = key.length > 0 ? key : [column.name];
    if (!column.nullable) tests.push(notNull(column.name, keyColumns));
    const p = column.property;
    if (p.enum) tests.push(acceptedValues(column.name, p.enum as string[], keyColumns));
    const bounds: string[] = [];
    if (p.minimum !== undefined && p.minimum > -SAFE) bounds.push(`${ident(column.name)} >= ${p.minimum}`);
    if (p.maximum !== undefined && p.maximum < SAFE) bounds.push(`${ident(column.name)} <= ${p.maximum}`);
    if (bounds.length > 0) {
      tests.push({
        name: `range(${column.name}: ${bounds.join(' and ').replaceAll('"', '')})`,
        offending: (table) => `SELECT concat_ws('|', ${keyColumns.map((c) => `CAST(${ident(c)} AS VARCHAR)`).join(', ')}) AS key FROM ${table} WHERE NOT (${bounds.join(' AND ')})`,
      });
    }
  }
  return tests;
}

/** DuckDB type families a contract type accepts. */
function acceptsType(p: Property, duckType: string): boolean {
  const t = duckType.toUpperCase();
  if (p.type === 'string' && p.format === 'date-time') return t.startsWith('TIMESTAMP');
  if (p.type === 'string' && p.format === 'date') return t === 'DATE';
  if (p.type === 'string') return t === 'VARCHAR' || t.startsWith('ENUM');
  if (p.type === 'integer') return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(t);
  if (p.type === 'number') return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/.test(t);
  if (p.type === 'boolean') return t === 'BOOLEAN';
  if (p.type === 'array') return t.endsWith('[]');
  return true;
}

/** Problems with the built table's columns against the contract (missing, extra, wrong type). */
export async function checkColumns(warehouse: Warehouse, table: string, contract: z.ZodObject): Promise<string[]> {
  const [schema, name] = table.split('.') as [string, string];
  const actual = await warehouse.all<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
    [schema, name],
  );
  const types = new Map(actual.map((c) => [c.column_name, c.data_type]));
  const problems: string[] = [];
  const expected = contractColumns(contract);
  for (const column of expected) {
    const type = types.get(column.name);
    if (type === undefined) problems.push(`column ${column.name} is missing`);
    else if (!acceptsType(column.property, type)) {
      problems.push(`column ${column.name} is ${type}, the contract says ${column.property.format ?? column.property.type}`);
    }
  }
  const names = new Set(expected.map((c) => c.name));
  for (const column of types.keys()) if (!names.has(column)) problems.push(`column ${column} is not in the contract`);
  return problems;
}
