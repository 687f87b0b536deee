/**
 * From an API record to a delivered row: each contract column's JSON path is compiled once into
 * a getter (a million records × fifteen fields cannot afford a general JSONPath engine per
 * lookup), its values translated where the settings say, and written as text, as a file would
 * hold them.
 */
import type { HttpField } from '../../../config/http-source.ts';
import type { DeliveredRow } from '../connector.ts';

type Step = { name: string } | { index: number } | { match: string; equals: string };
export type Getter = (record: unknown) => unknown;

/** `custom_fields[id=360001].value` → a function returning that value, or undefined when a step is missing. */
export function compilePath(path: string): Getter {
  const steps: Step[] = [];
  for (const token of path.match(/[^.[\]]+|\[[^\]]*\]/g) ?? []) {
    if (!token.startsWith('[')) steps.push({ name: token });
    else if (/^\[\d+\]$/.test(token)) steps.push({ index: Number(token.slice(1, -1)) });
    else {
      const [match, ...rest] = token.slice(1, -1).split('=');
      steps.push({ match: match!, equals: rest.join('=') });
    }
  }
  return (record) => {
    let value: unknown = record;
    for (const step of steps) {
      if (value === null || value === undefined) return undefined;
      if ('name' in step) value = typeof value === 'object' ? (value as Record<string, unknown>)[step.name] : undefined;
      else if ('index' in step) value = Array.isArray(value) ? value[step.index] : undefined;
      else value = Array.isArray(value) ? value.find((item) => item !== null && typeof item === 'object' && String((item as Record<string, unknown>)[step.match]) === step.equals) : undefined;
    }
    return value;
  };
}

/** The first name of a path: the record's own field it reads (`via` for `via.channel`). */
export function topField(path: string): string {
  return /^[^.[]+/.exec(path)![0];
}

export interface MappedField {
  column: string;
  path: string;
  get: Getter;
  map?: Record<string, string | number | boolean | null>;
  /** a contract column that may not be empty */
  required: boolean;
}

export function mappedFields(columns: ReadonlyArray<{ name: string; nullable: boolean }>, fields: Record<string, HttpField>): MappedField[] {
  return columns.map(({ name, nullable }) => {
    const field = fields[name] ?? name;
    const path = typeof field === 'string' ? field : field.path;
    return { column: name, path, get: compilePath(path), map: typeof field === 'string' ? undefined : field.map, required: !nullable };
  });
}

/** A JSON value as the text a file would hold: strings as they are, numbers and flags written out, objects as JSON. */
export function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** One record as a delivered row: the mapped columns, then the extra fields (kept, as a file's extra columns are). */
export function deliveredRow(record: unknown, fields: readonly MappedField[], extras: readonly string[]): DeliveredRow {
  const row: DeliveredRow = {};
  for (const field of fields) {
    let value = field.get(record);
    if (field.map && value !== null && value !== undefined && Object.hasOwn(field.map, String(value))) value = field.map[String(value)];
    row[field.column] = asText(value);
  }
  for (const extra of extras) row[extra] = asText((record as Record<string, unknown>)[extra]);
  return row;
}

/** The record's fields no mapping reads: the API added them since the settings were written. */
export function unmappedFields(record: unknown, used: ReadonlySet<string>): string[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return [];
  return Object.keys(record).filter((key) => !used.has(key));
}
