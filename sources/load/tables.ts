/** The tables a load writes: raw.<entity>, quarantine.<entity>, quarantine.<entity>_fields and the load log. */
import type { EntityContract } from '../contract.ts';
import { tableName } from '../contract.ts';
import { ident, type Warehouse } from '../../warehouse/warehouse.ts';
import type { ColumnSpec } from './checks.ts';

/** Columns the loader adds to every raw row, after the contract's own. */
export const RAW_LINEAGE_COLUMNS = ['extra_columns', 'load_id', 'loaded_at', 'source_file', 'source_row'] as const;

export async function ensureRawTable(warehouse: Warehouse, contract: EntityContract, specs: ColumnSpec[]): Promise<void> {
  const table = `raw.${tableName(contract)}`;
  const definitions = [
    ...specs.map((s) => `${ident(s.name)} ${s.sqlType}`),
    'extra_columns JSON',
    'load_id VARCHAR NOT NULL',
    'loaded_at TIMESTAMP NOT NULL',
    'source_file VARCHAR NOT NULL',
    'source_row BIGINT NOT NULL',
  ];
  await warehouse.run(`CREATE TABLE IF NOT EXISTS ${table} (${definitions.join(', ')})`);
  // A contract that gained a column since the table was made: add it (older rows get NULL).
  const existing = new Set(await warehouse.columns('raw', tableName(contract)));
  for (const spec of specs) {
    if (!existing.has(spec.name)) await warehouse.run(`ALTER TABLE ${table} ADD COLUMN ${ident(spec.name)} ${spec.sqlType}`);
  }
}

export async function ensureQuarantineTable(warehouse: Warehouse, contract: EntityContract): Promise<void> {
  await warehouse.run(`CREATE TABLE IF NOT EXISTS quarantine.${tableName(contract)} (
    load_id VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    source_file VARCHAR NOT NULL,
    source_row BIGINT,
    field VARCHAR,
    reason VARCHAR NOT NULL,
    errors VARCHAR[] NOT NULL,
    record JSON
  )`);
  // The fields a loaded row had emptied (a bad value of a nullable field, see contract.ts
  // Severity): one row per field, in its own table so that quarantine.<entity> keeps meaning
  // "rows quarantined" for everything that counts it.
  await warehouse.run(`CREATE TABLE IF NOT EXISTS quarantine.${tableName(contract)}_fields (
    load_id VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    source_file VARCHAR NOT NULL,
    source_row BIGINT NOT NULL,
    field VARCHAR NOT NULL,
    value VARCHAR,
    reason VARCHAR NOT NULL
  )`);
}

export async function ensureLoadLog(warehouse: Warehouse): Promise<void> {
  await warehouse.run(`CREATE TABLE IF NOT EXISTS meta.load_log (
    load_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    source_file VARCHAR,
    status VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    rows_in_file BIGINT,
    rows_skipped BIGINT,
    rows_read BIGINT,
    rows_loaded BIGINT,
    rows_quarantined BIGINT,
    watermark_before VARCHAR,
    watermark_after VARCHAR,
    extra_columns VARCHAR[],
    missing_columns VARCHAR[],
    error VARCHAR,
    rows_fetched BIGINT,
    fields_nulled BIGINT
  )`);
  // Warehouses made before connectors: rows fetched from a database or an API (NULL for files);
  // before field-level severities: values of loaded rows set to NULL.
  // Altered only when missing: a catalog write on every load would make concurrent loads conflict.
  const columns = await warehouse.columns('meta', 'load_log');
  if (!columns.includes('rows_fetched')) await warehouse.run(`ALTER TABLE meta.load_log ADD COLUMN rows_fetched BIGINT`);
  if (!columns.includes('fields_nulled')) await warehouse.run(`ALTER TABLE meta.load_log ADD COLUMN fields_nulled BIGINT`);
}
