/**
 * Loads one entity file into raw.<entity>, sending every row that breaks the contract to
 * quarantine.<entity> with its file, row, field and reason. The whole load is one transaction:
 * it lands completely or not at all, and it always reconciles
 *   rows read = rows loaded + rows quarantined
 * (rows skipped by an incremental watermark are counted separately and never read).
 * Rerunning a load id replaces that load's rows, so retries never duplicate.
 * A backfill gives a window: only the rows whose watermark falls in it are read, and they
 * replace whatever earlier loads held for that window.
 * A connector's delivery (sources/connectors/) is loaded the same way: its part files are read
 * as one delivery, and it says whether it is the whole entity or only the rows that changed.
 */
import type { EntityContract, RowRule } from '../contract.ts';
import { severityOf, tableName } from '../contract.ts';
import { ident, literal, type Warehouse } from '../../warehouse/warehouse.ts';
import { columnErrorExpression, columnSpecs, type ColumnSpec } from './checks.ts';
import {
  dropRejectTables,
  endsWithoutNewline,
  formatOf,
  openFile,
  openParts,
  TruncatedFileError,
  withPlainLineEnds,
  type FileFormat,
  type FileReader,
  type MalformedLine,
} from './files.ts';
import { ensureLoadLog, ensureQuarantineTable, ensureRawTable } from './tables.ts';

export interface LoadRequest {
  contract: EntityContract;
  path: string;
  format?: FileFormat;
  loadId: string;
  loadedAt?: Date;
  /**
   * A backfill: for an entity with a watermark, read only the rows whose watermark is in
   * [from, to) (the others are counted as skipped, like rows behind the incremental watermark,
   * which does not apply here), and replace the rows earlier loads hold for that window.
   * An entity without a watermark is a full extract and loads whole, window or not.
   */
  window?: LoadWindow;
  /**
   * Rows dated later than the load time plus this many hours are quarantined (clocks differ,
   * time zones are misread, but a ticket from 2099 is a typo). Default 24.
   */
  futureToleranceHours?: number;
  /**
   * Fail the load (keeping the previous data) when more than this share of the rows read would
   * be quarantined, or all of them; unset: no limit. The pipeline passes load.max_quarantined_share.
   */
  maxQuarantinedShare?: number;
  /**
   * A connector's delivery: these JSON Lines part files, in order, are the delivery (`path` then
   * names where the rows came from, e.g. the database table, and is what raw.source_file holds;
   * source_row numbers the rows across the parts). `columns` are the delivered columns.
   */
  parts?: { files: readonly string[]; columns: readonly string[] };
  /**
   * What a connector delivered: `snapshot`, the whole entity (earlier loads are superseded, no
   * watermark skipping); `changes`, the rows that changed since the last load (earlier loads are
   * kept, staging keeps the latest version per key; no watermark skipping either, since an
   * updated row keeps its old watermark). Unset: a file, with the rules above.
   */
  delivery?: 'snapshot' | 'changes';
  /** rows the connector fetched: the load fails unless the delivery holds exactly these */
  rowsFetched?: number;
  /** more writes that must commit with the load (or not at all), e.g. the connector's mark */
  alsoInTransaction?: (warehouse: Warehouse) => Promise<void>;
}

/** ISO dates; `to` is exclusive (the first day not included). */
export interface LoadWindow {
  from: string;
  to: string;
}

export interface LoadResult {
  source: string;
  entity: string;
  file: string;
  loadId: string;
  rowsInFile: number;
  /** rows a connector fetched (equal to rowsInFile); absent for a file */
  rowsFetched?: number;
  rowsSkipped: number;
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  /** values of loaded rows set to NULL, each recorded in quarantine.<entity>_fields */
  fieldsNulled: number;
  extraColumns: string[];
  missingColumns: string[];
  watermarkBefore: string | null;
  watermarkAfter: string | null;
  /** the window that selected the rows read, or null when the whole file was considered */
  window: LoadWindow | null;
  seconds: number;
}

/** A load that could not happen; nothing of it was written. */
export class LoadError extends Error {
  override name = 'LoadError';
  constructor(
    readonly entity: string,
    readonly file: string,
    message: string,
    /** `cause` set: an unexpected failure (I/O, a conflict), which a retry may cure */
    options?: ErrorOptions,
  ) {
    super(`${entity} (${file}): ${message}`, options);
  }
}

const DELIVERED = '__delivered';

export async function loadEntity(warehouse: Warehouse, request: LoadRequest): Promise<LoadResult> {
  const { contract, path, loadId } = request;
  const started = Date.now();
  const loadedAt = (request.loadedAt ?? new Date()).toISOString();
  const name = `${contract.source}.${contract.entity}`;
  const specs = columnSpecs(contract);
  await ensureRawTable(warehouse, contract, specs);
  await ensureQuarantineTable(warehouse, contract);
  await ensureLoadLog(warehouse);

  let reader: FileReader | undefined;
  try {
    const window = contract.watermark && request.window ? checkWindow(name, path, request.window) : null;
    const format = request.format ?? (request.parts ? 'jsonl' : formatOf(path));
    reader = request.parts ? openParts(request.parts.files, request.parts.columns) : await openReader(warehouse, name, path, format);
    const { missingColumns, extraColumns } = compareColumns(name, path, specs, reader);
    const watermarkBefore = await currentWatermark(warehouse, contract, loadId);
    const notAfter = new Date(Date.parse(loadedAt) + (request.futureToleranceHours ?? 24) * 3_600_000);
    const future = futureRules(contract, specs, notAfter, request.futureToleranceHours ?? 24);
    // A connector's delivery is never cut by the file watermark: it already holds only what to load.
    const selection = window ? { window } : { after: request.delivery ? null : watermarkBefore };
    let rows = judge(contract, specs, reader, selection, future);
    // The file is read once, in parallel, into a temporary table whose rowid is the file order,
    // and each row is judged on the way in.
    try {
      await readDelivered(warehouse, name, path, format, rows.deliveredSql);
    } catch (error) {
      if (!(format === 'csv' && error instanceof LoadError && /state machine reached an invalid state/.test(error.message))) throw error;
      // DuckDB's CSV parser cannot split a file that mixes line ends, or has a carriage return
      // inside a line: it reads a copy with one kind of line end instead (see withPlainLineEnds).
      await dropRejectTables(warehouse, reader);
      const copy = withPlainLineEnds(path);
      try {
        reader = { ...(await openReader(warehouse, name, path, format, copy.path)), cleanup: copy.cleanup };
      } catch (failure) {
        copy.cleanup();
        throw failure;
      }
      rows = judge(contract, specs, reader, selection, future);
      await readDelivered(warehouse, name, path, format, rows.deliveredSql);
    }
    const malformed = await collectMalformedLines(warehouse, name, path, reader);
    const checked = rows.checked(malformed, extraColumns);

    const result = await warehouse.transaction(async () => {
      const supersede = !window && (request.delivery === 'snapshot' || (!request.delivery && !contract.watermark));
      const counts = await writeLoad(warehouse, contract, specs, checked, { loadId, loadedAt, path, malformed, window, supersede });
      if (request.rowsFetched !== undefined && request.rowsFetched !== counts.rowsInFile) {
        throw new Error(`reconciliation failed: the connector fetched ${request.rowsFetched} rows but the delivery holds ${counts.rowsInFile}; nothing was written`);
      }
      if (request.maxQuarantinedShare !== undefined) await checkQuarantineShare(warehouse, contract, name, path, loadId, counts, request.maxQuarantinedShare);
      await request.alsoInTransaction?.(warehouse);
      const watermarkAfter = await currentWatermark(warehouse, contract, null);
      const result: LoadResult = {
        source: contract.source,
        entity: contract.entity,
        file: path,
        loadId,
        ...counts,
        ...(request.rowsFetched !== undefined ? { rowsFetched: request.rowsFetched } : {}),
        extraColumns,
        missingColumns,
        watermarkBefore,
        watermarkAfter,
        window,
        seconds: (Date.now() - started) / 1000,
      };
      await logLoad(warehouse, result, 'loaded', loadedAt, null);
      return result;
    });
    return result;
  } catch (error) {
    const failure = error instanceof LoadError ? error : new LoadError(name, path, (error as Error).message, { cause: error });
    await logFailure(warehouse, contract, path, loadId, started, failure.message);
    throw failure;
  } finally {
    await warehouse.run(`DROP TABLE IF EXISTS ${DELIVERED}`);
    reader?.cleanup?.();
  }
}

/**
 * Reads the file into the temporary table. DuckDB's reader refusing the bytes (a CSV it cannot
 * parse, mixed line ends) is a problem of the delivery, which a retry will not cure; an I/O
 * error keeps its cause, so it is retried.
 */
async function readDelivered(warehouse: Warehouse, name: string, path: string, format: FileFormat, sql: string): Promise<void> {
  try {
    await warehouse.run(`CREATE OR REPLACE TEMP TABLE ${DELIVERED} AS ${sql}`);
  } catch (error) {
    const message = firstLine((error as Error).message);
    if (!/^(Invalid Input|Conversion) Error/.test(message)) throw error;
    throw new LoadError(name, path, `cannot read the file as ${format}: ${message.replace(/^(Invalid Input|Conversion) Error: /, '')}`);
  }
}

/** Opens `readPath` (the delivered file, or a copy of it); errors name the delivered `path`. */
async function openReader(warehouse: Warehouse, name: string, path: string, format: FileFormat, readPath = path): Promise<FileReader> {
  try {
    return await openFile(warehouse, readPath, format);
  } catch (error) {
    const message = firstLine((error as Error).message).replaceAll(readPath, path);
    if (error instanceof TruncatedFileError) throw new LoadError(name, path, message);
    throw new LoadError(name, path, `cannot read the file as ${format}: ${message}`);
  }
}

function compareColumns(name: string, path: string, specs: ColumnSpec[], reader: FileReader) {
  const delivered = new Set(reader.columns);
  const missing = specs.filter((s) => !delivered.has(s.name));
  const missingRequired = missing.filter((s) => !s.nullable).map((s) => s.name);
  if (missingRequired.length > 0) {
    throw new LoadError(
      name,
      path,
      `missing required column(s) ${missingRequired.join(', ')}; the file has: ${reader.columns.join(', ')}`,
    );
  }
  const known = new Set(specs.map((s) => s.name));
  return {
    // A nullable column that is absent loads as NULL; it is reported in the load log.
    missingColumns: missing.map((s) => s.name),
    extraColumns: reader.columns.filter((c) => !known.has(c)),
  };
}

async function currentWatermark(warehouse: Warehouse, contract: EntityContract, exceptLoadId: string | null): Promise<string | null> {
  if (!contract.watermark) return null;
  const where = exceptLoadId === null ? '' : `WHERE load_id <> ${literal(exceptLoadId)}`;
  const row = await warehouse.one<{ w: string | null }>(
    `SELECT CAST(max(${ident(contract.watermark)}) AS VARCHAR) AS w FROM raw.${tableName(contract)} ${where}`,
  );
  return row.w;
}

interface CheckedRows {
  /** a subquery over the delivered rows: row number, typed and text columns, verdict flags */
  from: string;
  /** the same without the checks, for the rows that load whole (`__clean`): far cheaper */
  typed: string;
  /** the row's errors as 'field: reason' strings (evaluated for invalid rows only) */
  errors: string;
  /** the fields a loaded row has emptied, as a list of {field, value, reason} (see `Severity`) */
  issues: string;
  /** the row as delivered, as JSON */
  record: string;
  extraColumns: string;
}

/**
 * How each delivered row is judged. The column checks and row rules are plain SQL over the
 * text values, evaluated by DuckDB on all cores while the file is read. The verdict (`__ok`:
 * the row loads), whether it loads whole (`__clean`: no field emptied) and the incremental skip
 * flag are stored with the row, so loading the good rows and quarantining the bad ones never
 * judge a row twice, and error messages are only built for the rows that need them.
 *
 * A failed check either rejects the row or empties its field (`severityOf`). The layers:
 * typed values and each column's first error; the emptied columns set to NULL; the row rules
 * over those values (a rule on an emptied value holds, like on any NULL), giving the verdict
 * and each emptiable field's issue; the fields with an issue set to NULL.
 */
function judge(
  contract: EntityContract,
  specs: ColumnSpec[],
  reader: FileReader,
  select: { after: string | null } | { window: LoadWindow },
  extraRules: readonly RowRule[] = [],
) {
  const missing = specs.filter((s) => !reader.columns.includes(s.name)).map((s) => s.name);
  const delivered = [...reader.columns, ...missing];
  const text = (c: string) => ident(`txt$${c}`);
  const error = (c: string) => ident(`err$${c}`);
  const issue = (c: string) => ident(`issue$${c}`);
  const emptied = specs.filter((s) => severityOf(contract, s.name) === 'null_field').map((s) => s.name);
  const rejecting = specs.filter((s) => !emptied.includes(s.name)).map((s) => s.name);
  const rules = [...(contract.rules ?? []), ...extraRules];
  const nullRules = rules.filter((r) => severityOf(contract, r.field, r.severity) === 'null_field');
  const rejectRules = rules.filter((r) => !nullRules.includes(r));
  const emptiable = [...new Set([...emptied, ...nullRules.map((r) => r.field)])];
  // A rule holds unless it is false: NULLs in compared fields pass (nullability is the schema's job).
  const fails = (r: RowRule) => `NOT coalesce(${r.sql}, true)`;
  const all = (conditions: string[]) => (conditions.length > 0 ? conditions.join(' AND ') : 'true');
  const list = (items: string[]) => (items.length > 0 ? `[${items.join(', ')}]` : 'CAST([] AS VARCHAR[])');
  // Text columns under txt$ names, typed ones under their own names (for the row rules), errors.
  const typedLayer = (source: string, passThrough: string[], withErrors = true) =>
    `SELECT ${[
      ...passThrough,
      ...delivered.map((c) => `${ident(c)} AS ${text(c)}`),
      ...specs.map((s) => `${s.typed} AS ${ident(s.name)}`),
      ...(withErrors ? specs.map((s) => `${columnErrorExpression(s)} AS ${error(s.name)}`) : []),
    ].join(', ')} FROM ${source}`;
  const layers = (source: string, passThrough: string[]) => {
    const typed = typedLayer(source, passThrough);
    const withoutBadValues = emptied.length > 0
      ? `SELECT * REPLACE (${emptied.map((c) => `CASE WHEN ${error(c)} IS NULL THEN ${ident(c)} END AS ${ident(c)}`).join(', ')}) FROM (${typed})`
      : typed;
    const fieldsOk = all(rejecting.map((c) => `${error(c)} IS NULL`));
    const issueOf = (f: string) => {
      const whens = [
        ...(emptied.includes(f) ? [`WHEN ${error(f)} IS NOT NULL THEN ${error(f)}`] : []),
        // like the rejecting rules, judged only on a row whose rejecting fields are valid
        ...nullRules.filter((r) => r.field === f).map((r) => `WHEN (${fieldsOk}) AND ${fails(r)} THEN ${literal(`${f}: ${r.message}`)}`),
      ];
      return `CASE ${whens.join(' ')} END AS ${issue(f)}`;
    };
    const judged = `SELECT *, ${[
      `(${fieldsOk}) AND (${all(rejectRules.map((r) => `NOT (${fails(r)})`))}) AS __row_ok`,
      // Row rules compare typed values, so they are only judged once every rejecting field is valid.
      `CASE WHEN ${fieldsOk} THEN ${list(rejectRules.map((r) => `CASE WHEN ${fails(r)} THEN ${literal(`${r.field}: ${r.message}`)} END`))}
        ELSE ${list(rejecting.map(error))} END AS __reject_errors`,
      ...emptiable.map(issueOf),
    ].join(', ')} FROM (${withoutBadValues})`;
    const final = emptiable.length > 0
      ? `SELECT * REPLACE (${emptiable.map((f) => `CASE WHEN ${issue(f)} IS NULL THEN ${ident(f)} END AS ${ident(f)}`).join(', ')}) FROM (${judged})`
      : judged;
    return `(${final})`;
  };
  const clean = all(emptiable.map((f) => `${issue(f)} IS NULL`));
  const wm = contract.watermark ? specs.find((s) => s.name === contract.watermark)! : null;
  // Incremental: skip rows at or before the watermark. Backfill: skip rows outside the window,
  // including those whose watermark cannot be read (they belong to no window; the regular
  // load quarantined them).
  const skipped = !wm
    ? 'false'
    : 'window' in select
      ? `NOT coalesce(${inWindow(ident(wm.name), wm.sqlType, select.window)}, false)`
      : select.after !== null
        ? `coalesce(${ident(wm.name)} <= CAST(${literal(select.after)} AS ${wm.sqlType}), false)`
        : 'false';
  const pack = (columns: string[]) => `to_json(struct_pack(${columns.map((c) => `${ident(c)} := ${text(c)}`).join(', ')}))`;
  const fill = missing.map((m) => `, CAST(NULL AS VARCHAR) AS ${ident(m)}`).join('');
  const issues = emptiable.map((f) => `{'field': ${literal(f)}, 'value': ${text(f)}, 'reason': ${issue(f)}}`);

  return {
    deliveredSql: `SELECT ${delivered.map((c) => `${text(c)} AS ${ident(c)}`).join(', ')}, __row_ok AS __ok, ${clean} AS __clean, ${skipped} AS __skipped
      FROM ${layers(`(SELECT *${fill} FROM ${reader.from})`, [])}`,
    checked: (malformed: MalformedLine[], extras: string[]): CheckedRows => ({
      from: layers(DELIVERED, [`${rowNumber(reader, malformed)} AS __row`, '__ok', '__clean', '__skipped']),
      typed: `(${typedLayer(DELIVERED, [`${rowNumber(reader, malformed)} AS __row`, '__ok', '__clean', '__skipped'], false)})`,
      // A rejected row keeps every error, those that alone would only have emptied a field last.
      errors: `list_filter(list_concat(__reject_errors, ${list(emptiable.map(issue))}), e -> e IS NOT NULL)`,
      issues: issues.length > 0 ? `list_filter(${list(issues)}, i -> i.reason IS NOT NULL)` : `[]`,
      record: pack(reader.columns),
      extraColumns: extras.length > 0 ? pack(extras) : 'CAST(NULL AS JSON)',
    }),
  };
}

/**
 * The source row of each delivered row. The temporary table keeps the file's order, so rowid
 * counts data rows; lines left out of it (malformed CSV lines, malformed or blank JSON lines)
 * move the rows after them down a line.
 */
function rowNumber(reader: FileReader, malformed: MalformedLine[]): string {
  const base = `rowid + ${reader.firstRow}`;
  const removed = reader.removedLines ?? malformed.map((m) => m.line);
  if (removed.length === 0) return base;
  // Before the j-th removed line (1-based) stand line - 1 lines: the firstRow - 1 header lines,
  // j - 1 removed lines and line - j - firstRow + 1 data rows; a row comes after it when its
  // index is at least that.
  const before = removed.map((line, i) => `(${line - (i + 1) - reader.firstRow + 1})`).join(', ');
  return `${base} + (SELECT count(*) FROM (VALUES ${before}) AS m(parsed_before) WHERE m.parsed_before < rowid + 1)`;
}

/**
 * CSV lines DuckDB could not parse (wrong number of fields, bad quoting). They are quarantined
 * like any bad row, except a broken last line in a file that does not end with a newline: that
 * is a cut-off transfer, and loading the part that arrived would publish a silently short table.
 */
async function collectMalformedLines(warehouse: Warehouse, name: string, path: string, reader: FileReader): Promise<MalformedLine[]> {
  if (reader.malformed) return reader.malformed; // JSON Lines: found (and a truncation refused) when the file was opened
  if (!reader.rejectsTable) return [];
  const malformed = await warehouse.all<MalformedLine>(`
    SELECT CAST(line AS BIGINT) AS line, any_value(column_name) AS field,
           'malformed CSV line: ' || string_agg(DISTINCT error_message, '; ') AS reason,
           any_value(csv_line) AS text
    FROM ${reader.rejectsTable} GROUP BY line ORDER BY line`);
  await dropRejectTables(warehouse, reader);
  if (malformed.length === 0) return [];

  const { parsed } = await warehouse.one<{ parsed: number }>(`SELECT count(*)::BIGINT AS parsed FROM ${DELIVERED}`);
  const lastLine = parsed + malformed.length + 1;
  const last = malformed[malformed.length - 1]!;
  if (last.line === lastLine && endsWithoutNewline(path)) {
    throw new LoadError(
      name,
      path,
      `the file looks truncated: its last line (${last.line}) is incomplete and has no line end (${last.reason}); the previous data is kept`,
    );
  }
  return malformed;
}

async function writeLoad(
  warehouse: Warehouse,
  contract: EntityContract,
  specs: ColumnSpec[],
  checked: CheckedRows,
  load: { loadId: string; loadedAt: string; path: string; malformed: MalformedLine[]; window: LoadWindow | null; supersede: boolean },
) {
  const table = tableName(contract);
  const id = literal(load.loadId);
  const at = `CAST(${literal(load.loadedAt)} AS TIMESTAMPTZ)::TIMESTAMP`;
  const file = literal(load.path);
  const columns = specs.map((s) => ident(s.name)).join(', ');

  await warehouse.run(`DELETE FROM raw.${table} WHERE load_id = ${id}`);
  // Rows that load whole need only their typed values; the few with an emptied field, every check again.
  const loaded = await warehouse.changed(`INSERT INTO raw.${table} (${columns}, extra_columns, load_id, loaded_at, source_file, source_row)
    SELECT ${columns}, ${checked.extraColumns}, ${id}, ${at}, ${file}, __row FROM ${checked.typed}
    WHERE __ok AND __clean AND NOT __skipped
    UNION ALL
    SELECT ${columns}, ${checked.extraColumns}, ${id}, ${at}, ${file}, __row FROM ${checked.from}
    WHERE __ok AND NOT __clean AND NOT __skipped`);
  // Without a watermark a file is the whole entity (so is a connector's snapshot): older loads are superseded, not kept.
  if (load.supersede) await warehouse.run(`DELETE FROM raw.${table} WHERE load_id <> ${id}`);
  // A backfill replaces the window: rows of other loads in it go, in the same transaction.
  if (contract.watermark && load.window) await replaceWindow(warehouse, contract, specs, id, load.window);

  const delivered = await warehouse.one<{ rows: number; skipped: number; unclean: number }>(
    `SELECT count(*)::BIGINT AS rows, count(*) FILTER (WHERE __skipped)::BIGINT AS skipped,
      count(*) FILTER (WHERE __ok AND NOT __clean AND NOT __skipped)::BIGINT AS unclean FROM ${DELIVERED}`,
  );
  await warehouse.run(`DELETE FROM quarantine.${table} WHERE load_id = ${id}`);
  // A clean file (everything not skipped was loaded) needs no second pass to find bad rows.
  if (loaded < delivered.rows - delivered.skipped) {
    await warehouse.run(`INSERT INTO quarantine.${table}
      SELECT ${id}, ${at}, ${file}, __row, split_part(errors[1], ':', 1), errors[1], errors, record
      FROM (SELECT __row, ${checked.errors} AS errors, ${checked.record} AS record FROM ${checked.from}
            WHERE NOT __ok AND NOT __skipped)`);
  }
  // A loaded row's emptied fields: one issue per field, naming the value as delivered.
  await warehouse.run(`DELETE FROM quarantine.${table}_fields WHERE load_id = ${id}`);
  if (delivered.unclean > 0) {
    await warehouse.run(`INSERT INTO quarantine.${table}_fields
      SELECT ${id}, ${at}, ${file}, __row, i.field, i.value, i.reason
      FROM (SELECT __row, unnest(${checked.issues}) AS i FROM ${checked.from} WHERE __ok AND NOT __clean AND NOT __skipped)`);
  }
  for (const m of load.malformed) {
    await warehouse.run(
      `INSERT INTO quarantine.${table} VALUES (${id}, ${at}, ${file}, $1, $2, $3, [$3], to_json({'line': $4}))`,
      [m.line, m.field, m.reason, m.text],
    );
  }

  const written = await warehouse.one<{ loaded: number; quarantined: number; nulled: number }>(`SELECT
    (SELECT count(*) FROM raw.${table} WHERE load_id = ${id})::BIGINT AS loaded,
    (SELECT count(*) FROM quarantine.${table} WHERE load_id = ${id})::BIGINT AS quarantined,
    (SELECT count(*) FROM quarantine.${table}_fields WHERE load_id = ${id})::BIGINT AS nulled`);
  const rowsInFile = delivered.rows + load.malformed.length;
  const rowsRead = rowsInFile - delivered.skipped;
  if (rowsRead !== written.loaded + written.quarantined) {
    throw new Error(
      `reconciliation failed: read ${rowsRead} rows but loaded ${written.loaded} and quarantined ${written.quarantined}; nothing was written`,
    );
  }
  // An emptied field belongs to a loaded row: the row counts once, as loaded.
  if (written.nulled > 0) {
    const { orphans } = await warehouse.one<{ orphans: number }>(`SELECT count(*)::BIGINT AS orphans FROM quarantine.${table}_fields f
      WHERE load_id = ${id} AND NOT EXISTS (SELECT 1 FROM raw.${table} r WHERE r.load_id = ${id} AND r.source_row = f.source_row)`);
    if (orphans > 0) throw new Error(`reconciliation failed: ${orphans} field-level issue(s) name no loaded row; nothing was written`);
  }
  return {
    rowsInFile,
    rowsSkipped: delivered.skipped,
    rowsRead,
    rowsLoaded: written.loaded,
    rowsQuarantined: written.quarantined,
    fieldsNulled: written.nulled,
  };
}

/**
 * One rule per timestamp or date column the contract does not allow in the future: not later
 * than the load time plus the tolerance. A date counts from its midnight (UTC).
 */
function futureRules(contract: EntityContract, specs: ColumnSpec[], notAfter: Date, toleranceHours: number): RowRule[] {
  const limit = notAfter.toISOString().replace(/\.\d+Z$/, 'Z');
  const allowed = new Set(contract.mayBeFuture ?? []);
  return specs
    .filter((s) => (s.sqlType === 'TIMESTAMP' || s.sqlType === 'DATE') && !allowed.has(s.name))
    .map((s) => ({
      field: s.name,
      sql: `CAST(${ident(s.name)} AS TIMESTAMP) <= CAST(${literal(limit)} AS TIMESTAMPTZ)::TIMESTAMP`,
      message: `dated after the delivery (later than ${limit}, the load time plus ${toleranceHours} h)`,
    }));
}

/**
 * Too much of a delivery quarantined is a broken export, not a few bad rows: publishing the
 * rest would show a company with no orders. The load fails (its transaction is rolled back, so
 * the previous data stays) naming the share and the most frequent reason.
 */
async function checkQuarantineShare(
  warehouse: Warehouse,
  contract: EntityContract,
  name: string,
  path: string,
  loadId: string,
  counts: { rowsRead: number; rowsQuarantined: number },
  maxShare: number,
): Promise<void> {
  const { rowsRead: read, rowsQuarantined: bad } = counts;
  if (read === 0 || (bad / read <= maxShare && bad < read)) return;
  const [top] = await warehouse.all<{ reason: string }>(
    `SELECT regexp_replace(reason, ', got .*$', '') AS reason FROM quarantine.${ident(tableName(contract))} WHERE load_id = $1
     GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    [loadId],
  );
  const percent = (x: number) => `${Math.round(x * 100)}%`;
  throw new LoadError(
    name,
    path,
    `${bad} of ${read} rows (${percent(bad / read)}) would be quarantined` +
      (bad === read ? ': every row' : `, more than load.max_quarantined_share (${percent(maxShare)})`) +
      `; the previous data is kept. Most frequent reason: ${top?.reason ?? 'unknown'}`,
  );
}

function checkWindow(name: string, path: string, window: LoadWindow): LoadWindow {
  const isDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d));
  if (!isDate(window.from) || !isDate(window.to) || window.from >= window.to) {
    throw new LoadError(name, path, `invalid backfill window ${window.from} to ${window.to}: expected ISO dates, from before to`);
  }
  return window;
}

/** `value` in [from, to), compared as the watermark's own type (DATE or TIMESTAMP). */
function inWindow(value: string, sqlType: string, window: LoadWindow): string {
  return `(${value} >= CAST(${literal(window.from)} AS ${sqlType}) AND ${value} < CAST(${literal(window.to)} AS ${sqlType}))`;
}

/**
 * Deletes what other loads hold for the window: their raw rows, and their quarantined rows
 * whose delivered watermark (read from the record as the contract types it) is in the window,
 * so a row that was bad and is now fixed (or still bad) is not counted twice.
 */
async function replaceWindow(warehouse: Warehouse, contract: EntityContract, specs: ColumnSpec[], id: string, window: LoadWindow) {
  const table = tableName(contract);
  const wm = specs.find((s) => s.name === contract.watermark)!;
  // Their emptied fields go with their rows (the watermark is never emptied, so raw has it).
  await warehouse.run(`DELETE FROM quarantine.${table}_fields WHERE (load_id, source_row) IN (
    SELECT (load_id, source_row) FROM raw.${table} WHERE load_id <> ${id} AND ${inWindow(ident(wm.name), wm.sqlType, window)})`);
  await warehouse.run(`DELETE FROM raw.${table} WHERE load_id <> ${id} AND ${inWindow(ident(wm.name), wm.sqlType, window)}`);
  await warehouse.run(`DELETE FROM quarantine.${table} WHERE rowid IN (
    SELECT rowid FROM (SELECT rowid, load_id, json_extract_string(record, ${literal(`$.${wm.name}`)}) AS ${ident(wm.name)} FROM quarantine.${table})
    WHERE load_id <> ${id} AND coalesce(${inWindow(`(${wm.typed})`, wm.sqlType, window)}, false))`);
}

/** One row per load id and entity: a rerun replaces it, like the load itself. */
async function logLoad(warehouse: Warehouse, r: LoadResult, status: string, startedAtIso: string, error: string | null) {
  await warehouse.run(`DELETE FROM meta.load_log WHERE load_id = $1 AND source = $2 AND entity = $3`, [r.loadId, r.source, r.entity]);
  const failed = status === 'failed';
  const count = (n: number) => (failed ? null : n);
  await warehouse.run(
    `INSERT INTO meta.load_log (load_id, source, entity, source_file, status, started_at, finished_at, rows_in_file, rows_skipped,
      rows_read, rows_loaded, rows_quarantined, watermark_before, watermark_after, extra_columns, missing_columns, error, rows_fetched, fields_nulled)
      VALUES ($1, $2, $3, $4, $5, CAST($6 AS TIMESTAMPTZ)::TIMESTAMP, now()::TIMESTAMP,
      $7, $8, $9, $10, $11, $12, $13, list_filter(string_split($14, ','), c -> c <> ''), list_filter(string_split($15, ','), c -> c <> ''), $16, $17, $18)`,
    [
      r.loadId, r.source, r.entity, r.file, status, startedAtIso,
      count(r.rowsInFile), count(r.rowsSkipped), count(r.rowsRead), count(r.rowsLoaded), count(r.rowsQuarantined),
      r.watermarkBefore, r.watermarkAfter, r.extraColumns.join(','), r.missingColumns.join(','), error, failed ? null : (r.rowsFetched ?? null), count(r.fieldsNulled),
    ],
  );
}

/** Records a load that wrote nothing (a fetch that failed before the loader ran, too). */
export async function logFailure(warehouse: Warehouse, contract: EntityContract, path: string, loadId: string, started: number, message: string) {
  await ensureLoadLog(warehouse);
  const nothing = { rowsInFile: 0, rowsSkipped: 0, rowsRead: 0, rowsLoaded: 0, rowsQuarantined: 0, fieldsNulled: 0 };
  const result: LoadResult = {
    source: contract.source, entity: contract.entity, file: path, loadId, ...nothing,
    extraColumns: [], missingColumns: [], watermarkBefore: null, watermarkAfter: null, window: null, seconds: (Date.now() - started) / 1000,
  };
  await logLoad(warehouse, result, 'failed', new Date(started).toISOString(), message);
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
