/**
 * Writes rows computed in TypeScript (statistics over aggregates) as a table, through DuckDB's
 * appender rather than INSERT statements. Dates are given as 'YYYY-MM-DD' text and cast by
 * the appender, timestamps as ISO 8601 text likewise.
 */
import { ident, type Warehouse } from './warehouse.ts';

export type ColumnType = 'VARCHAR' | 'DOUBLE' | 'BIGINT' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP';

export async function writeTable(
  warehouse: Warehouse,
  table: string,
  columns: ReadonlyArray<readonly [name: string, type: ColumnType]>,
  rows: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  const [schema, name] = table.split('.') as [string, string];
  await warehouse.run(`CREATE OR REPLACE TABLE ${schema}.${ident(name)} (${columns.map(([c, t]) => `${ident(c)} ${t}`).join(', ')})`);
  const appender = await warehouse.connection.createAppender(name, schema);
  try {
    for (const row of rows) {
      for (const [column, type] of columns) {
        const value = row[column];
        if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) appender.appendNull();
        else if (type === 'DOUBLE') appender.appendDouble(Number(value));
        else if (type === 'BIGINT') appender.appendBigInt(BigInt(Math.round(Number(value))));
        else if (type === 'BOOLEAN') appender.appendBoolean(Boolean(value));
        else appender.appendVarchar(String(value));
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
