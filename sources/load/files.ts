/**
 * Where an entity's file is and how DuckDB reads it. Every format is turned into text columns
 * (the "as delivered" values) so one set of contract checks serves CSV, Parquet and JSON Lines.
 */
import { closeSync, createReadStream, existsSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
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

/** A data folder that is no delivery at all: said once, before any entity is looked for. */
export class DataDirError extends Error {
  override name = 'DataDirError';
  /** a usage error: the CLI exits 2 */
  readonly exitCode = 2;
}

/**
 * Throws DataDirError when `dataDir` is missing, not a folder, a symbolic link loop, or holds
 * none of the entity files of `contracts`; otherwise each entity's own load says what it lacks.
 */
export function checkDataDir(dataDir: string, contracts: readonly EntityContract[]): void {
  try {
    if (!statSync(dataDir).isDirectory()) {
      throw new DataDirError(`${dataDir} is a file, not a folder: --data names the folder that holds <source>/<entity>.csv files`);
    }
  } catch (error) {
    if (error instanceof DataDirError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataDirError(`data folder ${dataDir} does not exist`);
    if (code === 'ELOOP') throw new DataDirError(`${dataDir} is a symbolic link loop, not a data folder`);
    throw new DataDirError(`cannot read data folder ${dataDir}: ${(error as Error).message}`);
  }
  if (!contracts.some((c) => findEntityFile(dataDir, c))) {
    throw new DataDirError(
      `data folder ${dataDir} holds none of the delivery files (<source>/<entity>.csv, .parquet or .jsonl, e.g. crm/customers.csv)`,
    );
  }
}

/**
 * Throws DataDirError when a file is delivered for any of `contracts`, entities of sources the
 * configuration says the company does not deliver (sources_provided). Which one is wrong, the
 * file or the setting, only a person knows; loading it or leaving it out silently would both
 * make the pages say something the company did not mean.
 */
export function checkNotProvided(dataDir: string, contracts: readonly EntityContract[]): void {
  const delivered = contracts.flatMap((c) => {
    const found = findEntityFile(dataDir, c);
    return found ? [{ source: c.source, path: found.path }] : [];
  });
  if (delivered.length === 0) return;
  const sources = [...new Set(delivered.map((d) => d.source))];
  throw new DataDirError(
    `${delivered.map((d) => d.path).join(', ')} delivered, but ${sources.join(' and ')} ${sources.length > 1 ? 'are' : 'is'} not in sources_provided: ` +
      `add ${sources.join(' and ')} to sources_provided in the configuration, or remove the file(s)`,
  );
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
  /** JSON Lines: the lines that are not a JSON object, found before DuckDB reads the file */
  malformed?: MalformedLine[];
  /** JSON Lines: every line left out of what DuckDB reads (malformed and blank), in order */
  removedLines?: number[];
  /** removes what opening the file made (a filtered copy) */
  cleanup?: () => void;
}

/** A line that could not be parsed: quarantined with its number and text. */
export interface MalformedLine {
  line: number;
  field: string | null;
  reason: string;
  text: string;
}

// The contract's CSV dialect (RFC 4180), fixed rather than sniffed: a sniffer that meets a
// malformed line can pick another delimiter and turn the whole file into one column.
const CSV_DIALECT = `header = true, delim = ',', quote = '"', escape = '"'`;

let readerSerial = 0;

/**
 * The path as a DuckDB file pattern that matches only this file. DuckDB's readers take glob
 * patterns (`*`, `?`, `[...]`): a data folder named `in*` would read every folder it matches.
 * Each of those characters becomes a one-character class (`[*]`), and the path is made absolute
 * so no leading `~` is expanded.
 */
export function literalFilePattern(path: string): string {
  return resolve(path).replace(/[*?[]/g, (ch) => `[${ch}]`);
}

/** Describes the file and returns how to read it as text. */
export async function openFile(warehouse: Warehouse, path: string, format: FileFormat): Promise<FileReader> {
  const p = literal(literalFilePattern(path));
  // Belt and braces: the pattern must name this one file and nothing else.
  const matched = await warehouse.all<{ file: string }>(`SELECT file FROM glob(${p})`);
  if (matched.length !== 1 || resolve(matched[0]!.file) !== resolve(path)) {
    throw new Error(`${path}: DuckDB would read ${matched.length} file(s) for this path (${matched.slice(0, 3).map((m) => m.file).join(', ')}); expected exactly this one`);
  }
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
  if (format === 'jsonl') return openJsonLines(path);
  const scan = `read_parquet(${p})`;
  const described = await warehouse.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${scan}`);
  const asText = described.map((c) => `${textOf(ident(c.column_name), c.column_type)} AS ${ident(c.column_name)}`);
  return { from: `(SELECT ${asText.join(', ')} FROM ${scan})`, columns: described.map((c) => c.column_name), firstRow: 1 };
}

/**
 * JSON Lines are checked line by line before DuckDB reads them: a line that is not a JSON object
 * is quarantined (as a malformed CSV line is) instead of refusing the whole file, and blank
 * lines are skipped. DuckDB then reads a copy holding only the good lines, every field as text
 * (the keys of all lines), so a value of another type on one line is judged by the contract like
 * any other, not refused by DuckDB's type inference.
 */
async function openJsonLines(path: string): Promise<FileReader> {
  const columns: string[] = [];
  const seen = new Set<string>();
  const malformed: MalformedLine[] = [];
  const removedLines: number[] = [];
  const good: string[] = [];
  let line = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let rewrite = false;
  for await (const raw of lines) {
    line++;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text !== raw) rewrite = true; // DuckDB refuses a byte order mark: it reads a copy without
    if (text.trim() === '') {
      removedLines.push(line);
      continue;
    }
    const problem = jsonObjectProblem(text);
    if (problem) {
      malformed.push({ line, field: null, reason: `malformed JSON line: ${problem}`, text });
      removedLines.push(line);
      continue;
    }
    const object = JSON.parse(text) as Record<string, unknown>;
    if ('' in object) {
      // a key without a name becomes an extra column `unnamed`, as in a CSV header
      object['unnamed'] = object[''];
      delete object[''];
      good.push(JSON.stringify(object));
      rewrite = true;
    } else good.push(text);
    for (const key of Object.keys(object)) if (!seen.has(key)) seen.add(key), columns.push(key);
  }
  checkColumnNames(path, columns);
  if (good.length === 0 && malformed.length === 0) throw new Error(`${path} is empty: expected one JSON object per line`);
  const last = malformed[malformed.length - 1];
  if (last && last.line === line && endsWithoutNewline(path)) {
    throw new TruncatedFileError(`the file looks truncated: its last line (${last.line}) is incomplete and has no line end (${last.reason}); the previous data is kept`);
  }
  let source = path;
  let cleanup: (() => void) | undefined;
  if (removedLines.length > 0 || rewrite) {
    const dir = mkdtempSync(join(tmpdir(), 'crm-eval-jsonl-'));
    source = join(dir, 'lines.jsonl');
    const fd = openSync(source, 'w');
    try {
      for (const text of good) writeSync(fd, `${text}\n`);
    } finally {
      closeSync(fd);
    }
    cleanup = () => rmSync(dir, { recursive: true, force: true });
  }
  if (good.length === 0) {
    cleanup?.();
    throw new Error(`no line is a JSON object (line ${malformed[0]!.line}: ${malformed[0]!.reason})`);
  }
  const types = `{${columns.map((c) => `${literal(c)}: 'VARCHAR'`).join(', ')}}`;
  const from = `read_json(${literal(literalFilePattern(source))}, format = 'newline_delimited', records = true, columns = ${types})`;
  return { from, columns, firstRow: 1, malformed, removedLines, cleanup };
}

/** Why a line is not one JSON object, or null when it is. */
function jsonObjectProblem(text: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return null;
  const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
  return `expected an object ({...}), got ${kind}`;
}

/**
 * A copy of a CSV file with `\n` line ends only, for DuckDB's parser, which refuses a file that
 * mixes `\r\n` and `\n`, or holds a carriage return inside a line. `\r\n` becomes `\n`; a lone
 * `\r` becomes a NUL byte, so the row it is in is quarantined (a control character) on its own
 * line instead of the whole file being refused. Lines keep their numbers.
 */
export function withPlainLineEnds(path: string): { path: string; cleanup: () => void } {
  const bytes = readFileSync(path);
  const out = Buffer.alloc(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte !== 0x0d) out[n++] = byte;
    else if (bytes[i + 1] !== 0x0a) out[n++] = 0x00;
  }
  const dir = mkdtempSync(join(tmpdir(), 'crm-eval-csv-'));
  const copy = join(dir, 'plain-line-ends.csv');
  writeFileSync(copy, out.subarray(0, n));
  return { path: copy, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A file cut off in transfer: refused whole, whatever its format. */
export class TruncatedFileError extends Error {
  override name = 'TruncatedFileError';
}

/**
 * The field of a delivery line that holds its place in the whole delivery (1, 2, ...). DuckDB
 * reads the part files in parallel and does not keep their order, and the order is what tells
 * two versions of one record apart (staging keeps the last one read): so every line says where
 * it stands, and the parts are read sorted by it.
 */
export const DELIVERY_ROW = '__delivery_row';

/**
 * A connector's delivery: JSON Lines part files read as one, in delivery order, every delivered
 * column as text (the connector already wrote the values as the contract's text).
 */
export function openParts(files: readonly string[], columns: readonly string[]): FileReader {
  if (files.length === 0) throw new Error('a delivery needs at least one part file');
  const types = `{${[...columns.map((c) => `${literal(c)}: 'VARCHAR'`), `${literal(DELIVERY_ROW)}: 'BIGINT'`].join(', ')}}`;
  const list = `[${files.map((f) => literal(literalFilePattern(f))).join(', ')}]`;
  const read = `read_json(${list}, format = 'newline_delimited', records = true, columns = ${types})`;
  return { from: `(SELECT * EXCLUDE (${ident(DELIVERY_ROW)}) FROM ${read} ORDER BY ${ident(DELIVERY_ROW)})`, columns: [...columns], firstRow: 1 };
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
  return checkColumnNames(path, names.map((n) => n.trim()));
}

/**
 * The delivered column names, as SQL can hold them: a column without a name (a trailing comma in
 * the header) is kept as an extra column `unnamed_<position>`; two names that differ only in case
 * are refused, as SQL names ignore case and nobody can tell which one the contract's is, and so
 * is a name with a control character (a NUL byte in a header is damage, not a column).
 */
export function checkColumnNames(path: string, delivered: string[]): string[] {
  const names = delivered.map((n, i) => (n === '' ? `unnamed_${i + 1}` : n));
  const broken = names.findIndex((n) => /[\x00-\x1f\x7f]/.test(n));
  if (broken >= 0) {
    throw new Error(`${path}: the name of column ${broken + 1} in the header holds a control character (${JSON.stringify(names[broken])}); the header is damaged`);
  }
  const seen = new Map<string, string>();
  for (const name of names) {
    const other = seen.get(name.toLowerCase());
    if (other === name) throw new Error(`${path}: column "${name}" appears twice in the header`);
    if (other !== undefined) throw new Error(`${path}: columns "${other}" and "${name}" differ only in case; SQL cannot tell them apart`);
    seen.set(name.toLowerCase(), name);
  }
  return names;
}
