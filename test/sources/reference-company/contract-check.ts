/**
 * Checks a generated CSV file against its contract without the loader: each row is read back as
 * text, each value turned into the type its zod schema expects (empty → null, numbers,
 * true/false), and `schema.safeParse` decides; the contract's row rules (resolved_at ≥
 * created_at, csat 1-5) are evaluated by DuckDB over the same rows, cast to their types.
 * Returns the file lines (header = line 1) of the rows that break the contract.
 */
import type { z } from 'zod';
import type { EntityContract } from '../../../sources/contract.ts';
import { literal, type Warehouse } from '../../../warehouse/warehouse.ts';

type Def = { type: string; format?: string; innerType?: z.ZodType };
const defOf = (t: z.ZodType): Def => {
  const def = t._zod.def as unknown as Def;
  return def.type === 'nullable' || def.type === 'optional' ? defOf(def.innerType!) : def;
};

/** text as delivered → the value the schema checks */
function typed(t: z.ZodType, text: string | null): unknown {
  if (text === null || text === '') return null;
  const { type } = defOf(t);
  if (type === 'number') return Number(text); // "12,50" → NaN, which the schema rejects
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

/** the DuckDB type a row rule compares the column as */
function sqlType(t: z.ZodType): string {
  const { type, format } = defOf(t);
  if (type === 'number') return 'DOUBLE';
  if (type === 'boolean') return 'BOOLEAN';
  return format === 'datetime' ? 'TIMESTAMPTZ' : format === 'date' ? 'DATE' : 'VARCHAR';
}

export const readCsv = (path: string) =>
  `read_csv(${literal(path)}, all_varchar = true, header = true, delim = ',', quote = '"', escape = '"')`;

export async function contractViolations(warehouse: Warehouse, contract: EntityContract, path: string): Promise<number[]> {
  const shape = contract.schema.shape as Record<string, z.ZodType>;
  const columns = Object.keys(shape);
  // A table keeps the file's order: rowid 0 is line 2.
  await warehouse.run(`CREATE OR REPLACE TEMP TABLE delivered AS SELECT * FROM ${readCsv(path)}`);
  const bad = new Set<number>();
  const rows = await warehouse.all<Record<string, string | null>>(`SELECT * FROM delivered ORDER BY rowid`);
  rows.forEach((row, i) => {
    const value = Object.fromEntries(columns.map((c) => [c, typed(shape[c]!, row[c] ?? null)]));
    if (!contract.schema.safeParse(value).success) bad.add(i + 2);
  });
  if (contract.rules?.length) {
    const casts = columns.map((c) => `TRY_CAST("${c}" AS ${sqlType(shape[c]!)}) AS "${c}"`).join(', ');
    const broken = contract.rules.map((r) => `NOT coalesce((${r.sql}), true)`).join(' OR ');
    const lines = await warehouse.all<{ line: number }>(`SELECT (r + 2)::INT AS line FROM (SELECT rowid AS r, ${casts} FROM delivered) WHERE ${broken}`);
    for (const { line } of lines) bad.add(line);
  }
  return [...bad].sort((a, b) => a - b);
}
