/**
 * `sources:` in the configuration: where each entity comes from. An entity that is not listed
 * is read from files (`<data>/<source>/<entity>.csv|parquet|jsonl`), as always. A database entity
 * names its server, its table and how its columns map onto the contract; the password is never
 * written here, only the name of the environment variable that holds it.
 *
 * ```yaml
 * sources:
 *   finance.gl_entries:
 *     kind: database
 *     dialect: postgres
 *     host: erp-db.internal
 *     database: erp
 *     user: crm_eval_reader
 *     password_env: ERP_PASSWORD
 *     table: ledger.gl_lines
 *     columns: { entry_id: id, posted_on: posting_date }
 *     incremental: { updated_at: updated_at, safety_lag: 5 minutes }
 * ```
 * Whether an entity exists and a mapped column is one of its contract's is checked against the
 * catalog when the run starts (sources/connectors/settings.ts), with the same paths.
 */
import { z } from 'zod';
import { HttpSourceSchema } from './http-source.ts';
import { duration, envName, presetName } from './setting-values.ts';

export { durationSeconds } from './setting-values.ts';

/** A plain SQL identifier: letters, digits, `_` and `$`, not starting with a digit; at most 63 characters. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;
const identifier = z.string().regex(IDENTIFIER, { error: 'expected a plain identifier (letters, digits, _ or $, not starting with a digit)' });
const tableRef = z
  .string()
  .regex(/^([A-Za-z_][A-Za-z0-9_$]{0,62}\.)?[A-Za-z_][A-Za-z0-9_$]{0,62}$/, { error: 'expected table or schema.table, each a plain identifier' });
export const FileSourceSchema = z.strictObject({
  kind: z.literal('file'),
});

export const DatabaseSourceSchema = z
  .strictObject({
    kind: z.literal('database'),
    dialect: z.enum(['postgres', 'mysql']).describe('postgres, or mysql for MySQL and MariaDB'),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.int().min(1).max(65535).optional().describe('default 5432 (postgres) or 3306 (mysql)'),
    database: identifier,
    user: z.string().min(1),
    password_env: envName.optional().describe('the environment variable holding the password; none for trust / socket auth'),
    ssl: z
      .union([z.boolean(), z.strictObject({ reject_unauthorized: z.boolean().default(true), ca_file: z.string().min(1).optional() })])
      .default(false)
      .describe('TLS to the server; true verifies the certificate against the system CAs'),
    preset: presetName
      .optional()
      .describe('ready-made table, columns and incremental settings (sources/connectors/database/presets/<name>.yaml); settings given here win'),
    table: tableRef.optional().describe('table or view, optionally schema.table (required unless a preset gives it)'),
    columns: z.record(z.string(), identifier).default({}).describe('contract column → database column; unlisted columns have the same name'),
    incremental: z
      .strictObject({
        updated_at: identifier.describe('database column set on every insert and update (a timestamp)'),
        key: z.union([identifier, z.array(identifier).min(1)]).optional().describe('database column(s) breaking ties; default the contract key'),
        safety_lag: duration.default(300).describe('re-read this far behind the last mark, for transactions committed late'),
      })
      .optional()
      .describe('without it every run reads the whole table'),
    chunk_rows: z.int().min(1000).max(1_000_000).default(10_000).describe('rows per fetched chunk (one delivery part, one heartbeat)'),
  });

/** What a database preset file gives each entity: where its rows are and how they map. */
export const DatabasePresetSchema = z.strictObject({
  description: z.string().min(1),
  entities: z.record(
    z.string(),
    z.strictObject({
      table: tableRef,
      columns: z.record(z.string(), identifier).default({}),
      incremental: DatabaseSourceSchema.shape.incremental,
    }),
  ),
});

export const SourceSettingsSchema = z.discriminatedUnion('kind', [FileSourceSchema, DatabaseSourceSchema, HttpSourceSchema], {
  error: 'expected file, database or http',
});

export const SourcesSchema = z
  .record(z.string(), SourceSettingsSchema)
  .superRefine((sources, ctx) => {
    for (const key of Object.keys(sources)) {
      if (!/^[a-z]+\.[a-z_]+$/.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'expected <source>.<entity>, e.g. finance.gl_entries' });
    }
  })
  .default({})
  .describe('where each entity comes from; unlisted entities are files');

export type SourceSettings = z.infer<typeof SourceSettingsSchema>;
/** A database source as configured (its table may come from a preset). */
export type ConfiguredDatabaseSource = z.infer<typeof DatabaseSourceSchema>;
/** A database source with its preset applied: the table is known. */
export type DatabaseSource = ConfiguredDatabaseSource & { table: string };
export type DatabasePreset = z.infer<typeof DatabasePresetSchema>;
