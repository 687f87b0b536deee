import { z } from 'zod';
import { provides } from '../../config/schema.ts';
import { entities } from '../../sources/catalog.ts';
import { tableName, type EntityContract } from '../../sources/contract.ts';
import { ident } from '../../warehouse/warehouse.ts';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';

/** The entity's event time: its first date or timestamp column (created_at, ordered_at, ...). */
function eventTime(contract: EntityContract): string | null {
  const shape = contract.schema.shape as Record<string, z.ZodType>;
  for (const [name, type] of Object.entries(shape)) {
    const json = z.toJSONSchema(type) as { format?: string; anyOf?: Array<{ format?: string }> };
    const format = json.format ?? json.anyOf?.find((v) => v.format)?.format;
    if (format === 'date-time' || format === 'date') return name;
  }
  return null;
}

/**
 * Data quality per source entity (客户数据质量, METRICS.md §8), for its latest load: rows read,
 * quarantined, values set to NULL in rows that loaded (a bad optional field), completeness (mean non-null share over the contract's columns), validity
 * (loaded ÷ read), uniqueness (distinct keys ÷ rows), timeliness (median hours from event to
 * load) and freshness (hours from the newest event to the load). It is the one mart that reads
 * the raw and quarantine layers, because that is what it measures.
 */
export const model = defineModel({
  name: 'marts.data_quality',
  description: 'Data quality of each source entity at its latest load: volume, quarantine, values set to NULL, completeness, validity, uniqueness, timeliness and freshness.',
  grain: 'one row per source entity',
  key: ['source', 'entity'],
  dependsOn: entities.map((e) => `raw.${tableName(e)}`),
  contract: z.object({
    source: z.string(),
    entity: z.string(),
    provided: z.boolean().describe('false: the company does not deliver this source (sources_provided), so its entities have no load and no figures'),
    load_id: z.string().nullable(),
    rows: z.int().min(0).describe('rows read in the latest load'),
    quarantined: z.int().min(0),
    fields_nulled: z.int().min(0).describe('values of loaded rows set to NULL: a nullable field with a bad value (per field in marts.data_quality_fields)'),
    completeness: z.number().min(0).max(1).nullable(),
    validity: z.number().min(0).max(1).nullable().describe('rows loaded ÷ rows read'),
    uniqueness: z.number().min(0).max(1).nullable().describe('distinct keys ÷ rows loaded'),
    timeliness_hours: z.number().nullable().describe('median hours from the event time to the load'),
    freshness_hours: z.number().nullable().describe('hours from the newest event to the load'),
    loaded_at: z.iso.datetime().nullable(),
    top_reason: z.string().nullable().describe('the most frequent quarantine reason (field: what was expected)'),
  }),
  build: async ({ warehouse, config }) => {
    const rows: Array<Record<string, unknown>> = [];
    for (const contract of entities) {
      const table = tableName(contract);
      const [log] = await warehouse.all<{ load_id: string; rows_read: number; rows_loaded: number; rows_quarantined: number; loaded_at: string }>(`
        SELECT load_id, rows_read, rows_loaded, rows_quarantined, strftime(finished_at, '%Y-%m-%dT%H:%M:%SZ') AS loaded_at
        FROM meta.load_log WHERE source = $1 AND entity = $2 AND status = 'loaded'
        ORDER BY finished_at DESC, load_id LIMIT 1`, [contract.source, contract.entity]);
      const provided = provides(config, contract.source);
      if (!log) {
        rows.push({ source: contract.source, entity: contract.entity, provided, rows: 0, quarantined: 0, fields_nulled: 0 });
        continue;
      }
      const columns = Object.keys(contract.schema.shape);
      const event = eventTime(contract);
      const [m] = await warehouse.all<{ completeness: number | null; uniqueness: number | null; timeliness: number | null; freshness: number | null }>(`
        SELECT (${columns.map((c) => `count(${ident(c)})`).join(' + ')}) / nullif(count(*) * ${columns.length}, 0)::DOUBLE AS completeness,
               count(DISTINCT (${contract.key.map(ident).join(', ')})) / nullif(count(*), 0)::DOUBLE AS uniqueness,
               ${event ? `quantile_cont(date_diff('second', CAST(${ident(event)} AS TIMESTAMP), loaded_at) / 3600.0, 0.5)` : 'NULL'} AS timeliness,
               ${event ? `date_diff('second', max(CAST(${ident(event)} AS TIMESTAMP)), max(loaded_at)) / 3600.0` : 'NULL'} AS freshness
        FROM raw.${ident(table)} WHERE load_id = $1`, [log.load_id]);
      const [reason] = await warehouse.all<{ reason: string }>(`
        SELECT regexp_replace(reason, ', got .*$', '') AS reason FROM quarantine.${ident(table)} WHERE load_id = $1
        GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`, [log.load_id]);
      // Counted from the table, not the log: a log written before field-level severities has no count.
      const nulled = (await warehouse.tableExists('quarantine', `${table}_fields`))
        ? (await warehouse.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM quarantine.${ident(`${table}_fields`)} WHERE load_id = $1`, [log.load_id])).n
        : 0;
      rows.push({
        source: contract.source, entity: contract.entity, provided, load_id: log.load_id, rows: log.rows_read, quarantined: log.rows_quarantined, fields_nulled: nulled,
        completeness: m?.completeness, validity: log.rows_read > 0 ? log.rows_loaded / log.rows_read : null, uniqueness: m?.uniqueness,
        timeliness_hours: m?.timeliness, freshness_hours: m?.freshness, loaded_at: log.loaded_at, top_reason: reason?.reason ?? null,
      });
    }
    await writeTable(warehouse, 'marts.data_quality', [
      ['source', 'VARCHAR'], ['entity', 'VARCHAR'], ['provided', 'BOOLEAN'], ['load_id', 'VARCHAR'], ['rows', 'BIGINT'], ['quarantined', 'BIGINT'], ['fields_nulled', 'BIGINT'], ['completeness', 'DOUBLE'],
      ['validity', 'DOUBLE'], ['uniqueness', 'DOUBLE'], ['timeliness_hours', 'DOUBLE'], ['freshness_hours', 'DOUBLE'], ['loaded_at', 'TIMESTAMP'], ['top_reason', 'VARCHAR'],
    ], rows);
  },
});
