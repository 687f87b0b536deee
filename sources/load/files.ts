/**
 * Where an entity's file is and how DuckDB reads it. Every format is turned into text columns
 * (the "as delivered" values) so one set of contract checks serves CSV, Parquet and JSON Lines.
 */
import { existsSync, openSync, readSync, fstatSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityContract } from '../contract.ts';
import { ident, literal, type Warehouse } from '../../warehouse/warehouse.ts';

export type FileFormat = 'csv' | 'parquet' | 'jsonl';
const EXTENSIONS: Array<[string, FileFormat]> = [
  ['.csv', 'csv'],
  ['.parquet', 'parquet'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.json', 'jsonl'],
];

/** `<dir>/<source>/<entity>.csv` (or .parquet, .jsonl, .ndjson, .json); null when there is none. */
export function findEntityFile(dataDir: string, contract: EntityContract): { path: string; format: FileFormat } | null {
  for (const [extension, format] of EXTENSIONS) {
    const path = join(dataDir, contract.source, `${contract.entity}${extension}`);
    if (existsSync(path)) return { path, format };
  }
  return null;
}

export function expectedPaths(dataDir: string, contract: EntityContract): string[] {
  return EXTENSIONS.map(([extension]) => join(dataDir, contract.source, `${contract.entity}${extension}`));
}

export function formatOf(path: string): FileFormat {
  const found = EXTENSIONS.find(([extension]) => path.toLowerCase().endsWith(extension));
  if (!found) throw new Error(`${path}: unknown file type (expected .csv, .parquet, .jsonl, .ndjson or .json)`);
  return found[1];
}

export interface FileReader {
  /** a FROM-clause expression yielding the file's columns as text, in file order */
  from: string;
  /** the delivered column names, in file order */
  columns: string[];
  /**
   * the source row number of the first data row: 2 for CSV (line numbers, the header is line
   * 1; exact unless a quoted field spans lines), 1 for Parquet and JSON Lines
   */
  firstRow: number;
  /** names of the temporary tables DuckDB fills with malformed CSV lines */
  rejectsTable?: string;
  rejectsScanTable?: string;
}

// The contract's CSV dialect (RFC 4180), fixed rather than sniffed: a sniffer that meets a
// malformed line can pick another delimiter and turn the whole file into one column.
const CSV_DIALECT = `header = true, delim = ',', quote = '"', escape = '"'`;

let readerSerial = 0;

/** Describes the file and returns how to read it as text. */
export async function openFile(warehouse: Warehouse, path: string, format: FileFormat): Promise<FileReader> {
  const p = literal(path);
  if (format === 'csv') {
    const serial = ++readerSerial;
    const rejectsTable = `__rejects_${process.pid}_${serial}`;
    const rejectsScanTable = `__reject_scans_${process.pid}_${serial}`;
    // The header is read here and the columns given to DuckDB, so it does not sniff the file
    // (twice: to describe it and to read it); every column is text until the contract says more.
    const columns = csvHeader(path);
    const types = `{${columns.map((c) => `${literal(c)}: 'VARCHAR'`).join(', ')}}`;
    const scan = `read_csv(${p}, ${CSV_DIALECT}, auto_detect = false, columns = ${types}, store_rejects = true, rejects_table = ${literal(rejectsTable)}, rejects_scan = ${literal(rejectsScanTable)})`;
    return { from: scan, columns, firstRow: 2, rejectsTable, rejectsScanTable };
  }
  const scan = format === 'parquet' ? `read_parquet(${p})` : `read_json(${p}, format = 'newline_delimited', records = true)`;
  const described = await warehouse.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${scan}`);
  const asText = described.map((c) => `${textOf(ident(c.column_name), c.column_type)} AS ${ident(c.column_name)}`);
  return { from: `(SELECT ${asText.join(', ')} FROM ${scan})`, columns: described.map((c) => c.column_name), firstRow: 1 };
}

/**
 * A connector's delivery: JSON Lines part files read as one, in order, every delivered column
 * as text (the connector already wrote the values as the contract's text).
 */
export function openParts(files: readonly string[], columns: readonly string[]): FileReader {
  if (files.length === 0) throw new Error('a delivery needs at least one part file');
  const types = `{${columns.map((c) => `${literal(c)}: 'VARCHAR'`).join(', ')}}`;
  const list = `[${files.map(literal).join(', ')}]`;
  return { from: `read_json(${list}, format = 'newline_delimited', records = true, columns = ${types})`, columns: [...columns], firstRow: 1 };
}

/** The text a CSV export would have held for a typed Parquet / JSON value. */
function textOf(column: string, type: string): string {
  if (type === 'VARCHAR') return column;
  if (type === 'TIMESTAMP WITH TIME ZONE' || type.startsWith('TIMESTAMP')) {
    // Parquet timestamps are UTC instants by convention; write them as ISO 8601 with Z.
    return `strftime(CAST(${column} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%fZ')`;
  }
  if (type.includes('STRUCT') || type.endsWith('[]') || type.startsWith('MAP') || type === 'JSON') {
    return `CAST(to_json(${column}) AS VARCHAR)`;
  }
  return `CAST(${column} AS VARCHAR)`;
}

/** True when the file's last byte is not a newline (a cut-off transfer leaves it so). */
export function endsWithoutNewline(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

export async function dropRejectTables(warehouse: Warehouse, reader: Pick<FileReader, 'rejectsTable' | 'rejectsScanTable'>): Promise<void> {
  if (reader.rejectsTable) await warehouse.run(`DROP TABLE IF EXISTS ${reader.rejectsTable}`);
  if (reader.rejectsScanTable) await warehouse.run(`DROP TABLE IF EXISTS ${reader.rejectsScanTable}`);
}

/** The column names in a CSV file's first line (RFC 4180 quoting); an empty file has none. */
export function csvHeader(path: string): string[] {
  const fd = openSync(path, 'r');
  let text = '';
  try {
    const chunk = Buffer.alloc(1 << 16);
    for (let position = 0; !/\r?\n/.test(text); position += chunk.length) {
      const read = readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) break;
      text += chunk.subarray(0, read).toString('utf8');
    }
  } finally {
    closeSync(fd);
  }
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (line.trim() === '') throw new Error(`${path} is empty: expected a header line with the column names`);
  const names: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') names.push(field), (field = '');
    else field += ch;
  }
  names.push(field);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new Error(`${path}: column "${duplicate}" appears twice in the header`);
  return names.map((n) => n.trim());
}
