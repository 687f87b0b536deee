/**
 * Data tests, dbt style: each is a query for the offending rows of a built table. A model
 * declares its own next to it; its output contract adds column, not-null, accepted-values and
 * range tests by itself (contract-tests.ts). A failure names the model, the test and sample keys.
 */
import { ident, literal } from '../../warehouse/warehouse.ts';

export interface DataTest {
  /** e.g. "unique(ticket_id)" */
  name: string;
  /** a query returning one text column `key` per offending row */
  offending: (table: string) => string;
  /** 'warn' reports without failing the build (e.g. orphans in real exports) */
  severity?: 'error' | 'warn';
}

const keyText = (columns: readonly string[]) =>
  columns.length === 1 ? `CAST(${ident(columns[0]!)} AS VARCHAR)` : `concat_ws('|', ${columns.map((c) => `CAST(${ident(c)} AS VARCHAR)`).join(', ')})`;

/** No two rows share these columns. */
export function unique(...columns: string[]): DataTest {
  return {
    name: `unique(${columns.join(', ')})`,
    offending: (table) => `SELECT ${keyText(columns)} AS key FROM ${table} GROUP BY ALL HAVING count(*) > 1`,
  };
}

export function notNull(column: string, key: readonly string[] = [column]): DataTest {
  return {
    name: `not_null(${column})`,
    offending: (table) => `SELECT ${keyText(key)} AS key FROM ${table} WHERE ${ident(column)} IS NULL`,
  };
}

export function acceptedValues(column: string, values: readonly (string | number | boolean)[], key: readonly string[] = [column]): DataTest {
  const list = values.map((v) => (typeof v === 'string' ? literal(v) : String(v))).join(', ');
  return {
    name: `accepted_values(${column})`,
    offending: (table) => `SELECT ${keyText(key)} AS key FROM ${table} WHERE ${ident(column)} NOT IN (${list})`,
  };
}

/** Every non-null `column` value exists in `toModel.toColumn`. */
export function relationship(column: string, toModel: string, toColumn: string, options: { severity?: 'error' | 'warn' } = {}): DataTest {
  return {
    name: `relationship(${column} → ${toModel}.${toColumn})`,
    severity: options.severity,
    offending: (table) =>
      `SELECT DISTINCT CAST(t.${ident(column)} AS VARCHAR) AS key FROM ${table} t
       WHERE t.${ident(column)} IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM ${toModel} r WHERE r.${ident(toColumn)} = t.${ident(column)})`,
  };
}

/** A condition every row must meet; NULL counts as met, as in SQL CHECK constraints. */
export function invariant(description: string, condition: string, key: readonly string[]): DataTest {
  return {
    name: `invariant(${description})`,
    offending: (table) => `SELECT ${keyText(key)} AS key FROM ${table} WHERE NOT (${condition})`,
  };
}
