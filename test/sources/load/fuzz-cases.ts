/**
 * The fuzz test's cases: a valid delivery file of a random entity, mutated at random. Each case
 * is a pure function of its seed, so a failure is replayed by its seed alone.
 */
import { entities } from '../../../sources/catalog.ts';
import type { EntityContract } from '../../../sources/contract.ts';
import { csvField } from '../../fixtures/csv.ts';
import { validRows } from '../../fixtures/valid-rows.ts';

/** mulberry32: a small, seedable generator, so every case can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
type Random = ReturnType<typeof random>;

const HOSTILE_VALUES = [
  '', ' ', '   ', '\t', '\0', 'ret\0ail', 'NULL', 'null', 'None', 'NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '1e-400',
  '1000000000000000', '99999999999999999999', '-99999999999999999999', '-0', '+1', ' 7 ', '0x10', '1,5', '12,50', '１２',
  '2099-01-01T00:00:00Z', '0000-00-00', '2024-02-30', '2024-02-30T00:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01 00:00',
  '2024-01-01T00:00:00', '2024-01-01T25:00:00Z', '99999-01-01T00:00:00Z', '-2024-01-01', 'true ', 'TRUE', 'yes', '1', '0',
  '"', '""', "'", "x'; DROP TABLE raw.crm_tickets; --", ',', '\n', '\r\n', 'line\nbreak', '\uFEFF', '😀', '中文', 'Ω\u0301',
  '\u202Eevil', '\u0007', 'a'.repeat(10_000), '{"a":1}', '[1,2]', '\\', '\\N', '*', '?', '[', '%s', '${x}',
];

export interface Case {
  contract: EntityContract;
  format: 'csv' | 'jsonl';
  bytes: Buffer;
  /** the records the file holds when the mutation kept them intact, else null */
  records: number | null;
  description: string[];
}

/** A valid delivery of `contract`: a few rows from the valid example with fresh keys. */
function validRecords(contract: EntityContract, rng: Random): Array<Record<string, string>> {
  const base = validRows[`${contract.source}.${contract.entity}`]!;
  const n = 1 + rng.int(6);
  return Array.from({ length: n }, (_, i) => {
    const row = { ...base };
    for (const key of contract.key) {
      const value = row[key]!;
      // a key that is a date or timestamp keeps its format; an id gets a suffix
      if (/^\d{4}-\d{2}-\d{2}/.test(value)) row[key] = value.replace(/-(\d{2})(T|$)/, (_, d: string, t: string) => `-${String(Math.min(28, Number(d) + i)).padStart(2, '0')}${t}`);
      else row[key] = `${value}-${i}`;
    }
    return row;
  });
}

function csvOf(columns: string[], rows: Array<Record<string, string>>, eol = '\n'): string {
  return [columns.map(csvField).join(','), ...rows.map((r) => columns.map((c) => csvField(r[c] ?? '')).join(','))].join(eol) + eol;
}

function jsonlOf(rows: Array<Record<string, string>>): string {
  return rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === '' ? null : v])))).join('\n') + '\n';
}

export function makeCase(seed: number): Case {
  const rng = random(seed);
  const contract = rng.pick(entities);
  const format = rng.next() < 0.75 ? 'csv' : 'jsonl';
  const columns = Object.keys(contract.schema.shape);
  const rows = validRecords(contract, rng);
  const description: string[] = [`${contract.source}.${contract.entity} as ${format}, ${rows.length} rows`];
  let records: number | null = rows.length;
  let header = [...columns];
  let eol = '\n';

  // record-preserving mutations: values (properly quoted), header changes, line endings
  const valueMutations = rng.int(4);
  for (let i = 0; i < valueMutations; i++) {
    const row = rng.pick(rows);
    const column = rng.pick(columns);
    const value = rng.next() < 0.8 ? rng.pick(HOSTILE_VALUES) : `${row[column]}${rng.pick(HOSTILE_VALUES)}`;
    row[column] = value;
    description.push(`${column} := ${JSON.stringify(value.slice(0, 40))}`);
  }
  if (rng.next() < 0.15) {
    const extra = rng.pick(['extra', 'comment ', '', columns[0]!.toUpperCase(), 'a,b', '"q"']);
    header = [...header, extra];
    description.push(`extra column ${JSON.stringify(extra)}`);
  }
  if (rng.next() < 0.1) {
    const dropped = rng.pick(columns);
    header = header.filter((c) => c !== dropped);
    description.push(`column ${dropped} not delivered`);
  }
  if (rng.next() < 0.05) {
    header = [...header].reverse();
    description.push('columns in reverse order');
  }
  if (format === 'csv' && rng.next() < 0.15) {
    eol = '\r\n';
    description.push('CRLF line ends');
  }
  const text = format === 'csv' ? csvOf(header, rows, eol) : jsonlOf(rows.map((r) => Object.fromEntries(header.map((c) => [c, r[c] ?? '']))));
  let bytes = Buffer.from(text, 'utf8');

  // structure mutations: the records may no longer be intact
  const structural = rng.next() < 0.5 ? 1 + rng.int(2) : 0;
  for (let i = 0; i < structural; i++) {
    const kind = rng.pick(['insert byte', 'delete byte', 'truncate', 'duplicate line', 'drop line', 'blank line', 'short line', 'stray quote', 'BOM', 'empty file']);
    const at = rng.int(bytes.length + 1);
    const lines = bytes.toString('utf8').split('\n');
    const line = 1 + rng.int(Math.max(1, lines.length - 2));
    switch (kind) {
      case 'insert byte':
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([rng.pick([0, 10, 13, 34, 39, 44, 92, 123, 0xff, 0xc3])]), bytes.subarray(at)]);
        break;
      case 'delete byte':
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
        break;
      case 'truncate':
        bytes = bytes.subarray(0, at);
        break;
      case 'duplicate line':
        lines.splice(line, 0, lines[line] ?? '');
        bytes = Buffer.from(lines.join('\n'));
        break;
      case 'drop line':
        lines.splice(line, 1);
        bytes = Buffer.from(lines.join('\n'));
        break;
      case 'blank line':
        lines.splice(line, 0, '');
        bytes = Buffer.from(lines.join('\n'));
        break;
      case 'short line':
        lines.splice(line, 0, format === 'csv' ? 'X1,only,three' : '{"broken": ');
        bytes = Buffer.from(lines.join('\n'));
        break;
      case 'stray quote':
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from('"'), bytes.subarray(at)]);
        break;
      case 'BOM':
        bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
        break;
      case 'empty file':
        bytes = Buffer.alloc(0);
        break;
    }
    description.push(`${kind}${['insert byte', 'delete byte', 'truncate', 'stray quote'].includes(kind) ? ` at byte ${at}` : ['duplicate line', 'drop line', 'blank line', 'short line'].includes(kind) ? ` at line ${line + 1}` : ''}`);
    if (kind !== 'BOM') records = null;
  }
  return { contract, format, bytes, records, description };
}
