/**
 * Compiles an entity's zod contract into DuckDB SQL: for every column a typed expression and the
 * checks that a delivered (text) value must pass. zod's own JSON Schema export is the bridge, so
 * the checks are exactly what the schema says (types, nullability, enums, patterns, bounds),
 * and the load validates millions of rows in one SQL pass instead of one JS call per row.
 */
import { z } from 'zod';
import type { EntityContract } from '../contract.ts';
import { ident, literal } from '../../warehouse/sql.ts';

/** The parts of zod's JSON Schema export of a column that the checks (and the contract docs) read. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  description?: string;
  sqlType?: string;
  /** 'id': a key or reference, where no control character (not even a tab) belongs */
  kind?: string;
}

export interface ColumnSpec {
  name: string;
  sqlType: string;
  nullable: boolean;
  description?: string;
  /** SQL turning the text value into the typed one, NULL when it cannot */
  typed: string;
  /** checks of a present (non-NULL) value: a condition meaning "invalid" and its message, in order */
  checks: Array<{ when: string; message: string }>;
}

// JSON Schema's default bounds for z.int() are the safe-integer limits; they say nothing.
export const SAFE = Number.MAX_SAFE_INTEGER;

export function columnSpecs(contract: EntityContract): ColumnSpec[] {
  const schema = z.toJSONSchema(contract.schema, { unrepresentable: 'throw' }) as {
    properties: Record<string, JsonSchema>;
  };
  return Object.entries(schema.properties).map(([name, property]) => compileColumn(name, property));
}

function compileColumn(name: string, property: JsonSchema): ColumnSpec {
  // zod writes a nullable column as anyOf [T, null], or as type ["string", "null"] for plain strings
  const variants = property.anyOf ?? (Array.isArray(property.type) ? property.type.map((type) => ({ ...property, type })) : [property]);
  const nullable = variants.some((v) => v.type === 'null');
  const base = variants.find((v) => v.type !== 'null');
  if (!base) throw new Error(`column ${name}: contract has no non-null type`);
  const v = ident(name);
  const got = `' got ''' || ${v} || ''''`;
  const checks: ColumnSpec['checks'] = [];
  let sqlType: string;
  let typed: string;

  if (base.type === 'string' && base.format === 'date-time') {
    sqlType = 'TIMESTAMP';
    // Offsets are honoured (the session time zone is UTC) and the instant is stored as a UTC
    // timestamp. Values in Z (most exports) take the direct cast, many times faster than the
    // time-zone-aware one.
    typed = `CASE WHEN suffix(${v}, 'Z') THEN TRY_CAST(${v} AS TIMESTAMP) ELSE CAST(TRY_CAST(${v} AS TIMESTAMPTZ) AS TIMESTAMP) END`;
    checks.push({
      when: `NOT regexp_full_match(${v}, ${literal(base.pattern ?? '.*')}) OR (${typed}) IS NULL`,
      message: `'expected an ISO 8601 timestamp with offset or Z (e.g. 2024-03-01T09:30:00Z),' || ${got}`,
    });
  } else if (base.type === 'string' && base.format === 'date') {
    sqlType = 'DATE';
    typed = `TRY_CAST(${v} AS DATE)`;
    checks.push({
      when: `NOT regexp_full_match(${v}, ${literal(base.pattern ?? '.*')}) OR TRY_CAST(${v} AS DATE) IS NULL`,
      message: `'expected a date YYYY-MM-DD,' || ${got}`,
    });
  } else if (base.type === 'string') {
    sqlType = 'VARCHAR';
    typed = v;
    // A NUL byte or another control character is never data (a `ret\0ail` segment would become
    // a cut of its own); free text may hold tabs and line breaks, an id nothing of the kind.
    const control = base.kind === 'id' ? '[\\x00-\\x1f\\x7f]' : '[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]';
    checks.push({ when: `regexp_matches(${v}, ${literal(control)})`, message: `'contains a NUL byte or another control character,' || ${got}` });
    if ((base.minLength ?? 0) >= 1) {
      checks.push({ when: `regexp_full_match(${v}, '[\\s\\p{Z}]+')`, message: `'expected a value that is not only whitespace,' || ${got}` });
    }
    if (base.enum) {
      const allowed = base.enum.map((e) => literal(String(e))).join(', ');
      checks.push({ when: `${v} NOT IN (${allowed})`, message: `'expected one of ${base.enum.join(', ')},' || ${got}` });
    }
    if (base.minLength !== undefined) {
      checks.push({ when: `length(${v}) < ${base.minLength}`, message: `'expected at least ${base.minLength} character(s),' || ${got}` });
    }
    if (base.maxLength !== undefined) {
      checks.push({ when: `length(${v}) > ${base.maxLength}`, message: `'expected at most ${base.maxLength} characters,' || ${got}` });
    }
    if (base.pattern && !base.enum) {
      checks.push({ when: `NOT regexp_full_match(${v}, ${literal(base.pattern)})`, message: `'does not match ${base.pattern.replaceAll("'", "''")},' || ${got}` });
    }
  } else if (base.type === 'integer') {
    sqlType = 'BIGINT';
    typed = `TRY_CAST(${v} AS BIGINT)`;
    checks.push({ when: `NOT regexp_full_match(trim(${v}), '[+-]?[0-9]+')`, message: `'expected an integer,' || ${got}` });
  } else if (base.type === 'number') {
    sqlType = base.sqlType ?? 'DOUBLE';
    typed = `TRY_CAST(${v} AS ${sqlType})`;
    checks.push({ when: `TRY_CAST(${v} AS DOUBLE) IS NULL OR NOT isfinite(TRY_CAST(${v} AS DOUBLE))`, message: `'expected a number,' || ${got}` });
  } else if (base.type === 'boolean') {
    sqlType = 'BOOLEAN';
    typed = `TRY_CAST(lower(${v}) AS BOOLEAN)`;
    checks.push({ when: `lower(${v}) NOT IN ('true', 'false')`, message: `'expected true or false,' || ${got}` });
  } else {
    throw new Error(`column ${name}: contract type ${JSON.stringify(base)} has no SQL mapping`);
  }

  // A value of the right kind that the column's type cannot hold (an amount beyond
  // DECIMAL(18,4), a count beyond BIGINT) would otherwise become NULL on the way in.
  if (base.type === 'integer') {
    checks.push({ when: `(${typed}) IS NULL`, message: `'out of range for BIGINT (−9223372036854775808 to 9223372036854775807),' || ${got}` });
  } else if (base.type === 'number') {
    const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/i.exec(sqlType);
    const range = decimal ? ` (at most ${Number(decimal[1]) - Number(decimal[2])} digits before the decimal point)` : '';
    checks.push({ when: `(${typed}) IS NULL`, message: `'out of range for ${sqlType}${range},' || ${got}` });
  }
  // The last word for every type: a delivered value never turns into NULL silently.
  checks.push({ when: `(${typed}) IS NULL`, message: `'cannot be stored as ${sqlType},' || ${got}` });

  if (base.type === 'integer' || base.type === 'number') {
    const n = `TRY_CAST(${v} AS DOUBLE)`;
    if (base.minimum !== undefined && base.minimum > -SAFE) checks.push({ when: `${n} < ${base.minimum}`, message: `'expected a value ≥ ${base.minimum},' || ${got}` });
    if (base.exclusiveMinimum !== undefined) checks.push({ when: `${n} <= ${base.exclusiveMinimum}`, message: `'expected a value > ${base.exclusiveMinimum},' || ${got}` });
    if (base.maximum !== undefined && base.maximum < SAFE) checks.push({ when: `${n} > ${base.maximum}`, message: `'expected a value ≤ ${base.maximum},' || ${got}` });
    if (base.exclusiveMaximum !== undefined) checks.push({ when: `${n} >= ${base.exclusiveMaximum}`, message: `'expected a value < ${base.exclusiveMaximum},' || ${got}` });
  }

  return { name, sqlType, nullable, description: base.description ?? property.description, typed, checks };
}

/**
 * One SQL expression per column: the first failed check as 'column: message', else NULL.
 * Checks run in order, so a type error is reported before a bound on the same value.
 */
export function columnErrorExpression(spec: ColumnSpec): string {
  const prefix = literal(`${spec.name}: `);
  const missing = spec.nullable ? 'NULL' : `${prefix} || 'missing value (required)'`;
  const whens = spec.checks.map((c) => `WHEN ${c.when} THEN ${prefix} || ${c.message}`).join(' ');
  return `CASE WHEN ${ident(spec.name)} IS NULL THEN ${missing} ${whens} END`;
}
