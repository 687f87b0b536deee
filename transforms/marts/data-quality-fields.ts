import { z } from 'zod';
import { entities } from '../../sources/catalog.ts';
import { tableName } from '../../sources/contract.ts';
import { literal } from '../../warehouse/warehouse.ts';
import { defineModel } from '../framework/model.ts';

/**
 * Data quality per field (METRICS.md §8), for each entity's latest load: how many rows a field
 * cost (quarantined, the field named first in the reason) next to how many values it lost (a
 * nullable field's bad value set to NULL, the row loaded; see sources/README.md, severities).
 * Like marts.data_quality it reads the quarantine layer, because that is what it measures.
 */
export const model = defineModel({
  name: 'marts.data_quality_fields',
  description: 'Data quality per source entity and field at its latest load: rows quarantined for the field, and values set to NULL in rows that loaded.',
  grain: 'one row per source entity and field with an issue in its latest load',
  key: ['source', 'entity', 'field'],
  dependsOn: entities.map((e) => `raw.${tableName(e)}`),
  contract: z.object({
    source: z.string(),
    entity: z.string(),
    field: z.string(),
    load_id: z.string(),
    quarantined: z.int().min(0).describe('rows quarantined, this field named first in the reason'),
    nulled: z.int().min(0).describe('values of loaded rows set to NULL (the value as delivered is in quarantine.<entity>_fields)'),
    top_reason: z.string().describe('the most frequent reason for this field (what was expected)'),
  }),
  build: async ({ warehouse }) => {
    // A warehouse made before field-level severities has no <entity>_fields table until the entity loads again.
    const issues: string[] = [];
    for (const e of entities) {
      const table = tableName(e);
      const named = `${literal(e.source)} AS source, ${literal(e.entity)} AS entity, load_id`;
      if (await warehouse.tableExists('quarantine', table)) {
        issues.push(`SELECT ${named}, field, 'reject' AS severity, reason FROM quarantine.${table} WHERE field IS NOT NULL`);
      }
      if (await warehouse.tableExists('quarantine', `${table}_fields`)) {
        issues.push(`SELECT ${named}, field, 'null_field' AS severity, reason FROM quarantine.${table}_fields`);
      }
    }
    const all = issues.length > 0 ? issues.join('\n      UNION ALL ') : `SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS entity, NULL::VARCHAR AS load_id, NULL::VARCHAR AS field, NULL::VARCHAR AS severity, NULL::VARCHAR AS reason WHERE false`;
    await warehouse.run(`CREATE OR REPLACE TABLE marts.data_quality_fields AS
      WITH latest AS (
        SELECT
          source,
          entity,
          load_id
        FROM meta.load_log
        WHERE status = 'loaded'
        QUALIFY row_number() OVER (PARTITION BY source, entity ORDER BY finished_at DESC, load_id) = 1
      ),
      issues AS (
        ${all}
      ),
      latest_issues AS (
        SELECT
          i.source,
          i.entity,
          i.field,
          i.load_id,
          i.severity,
          regexp_replace(i.reason, ', got .*$', '') AS reason
        FROM issues i
        JOIN latest l USING (source, entity, load_id)
      ),
      reasons AS (
        SELECT
          source,
          entity,
          field,
          reason
        FROM latest_issues
        GROUP BY source, entity, field, reason
        QUALIFY row_number() OVER (PARTITION BY source, entity, field ORDER BY count(*) DESC, reason) = 1
      )
      SELECT
        i.source,
        i.entity,
        i.field,
        i.load_id,
        count(*) FILTER (WHERE i.severity = 'reject')::BIGINT AS quarantined,
        count(*) FILTER (WHERE i.severity = 'null_field')::BIGINT AS nulled,
        r.reason AS top_reason
      FROM latest_issues i
      JOIN reasons r USING (source, entity, field)
      GROUP BY i.source, i.entity, i.field, i.load_id, r.reason
      ORDER BY i.source, i.entity, i.field`);
  },
});
