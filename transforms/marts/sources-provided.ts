import { z } from 'zod';
import { provides, SOURCE_NAMES } from '../../config/schema.ts';
import { entities } from '../../sources/catalog.ts';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';

/**
 * Which sources the company delivers (the configuration's sources_provided), as a table: pages
 * read only marts, and a page whose source is not provided says so instead of drawing empty
 * charts. An empty table is not the same fact: a delivered ledger can be empty too.
 */
export const model = defineModel({
  name: 'marts.sources_provided',
  description: 'The sources the company delivers (crm, finance, hr), from the configuration’s sources_provided: a page whose source is not provided says so.',
  grain: 'one row per source',
  key: ['source'],
  dependsOn: [],
  contract: z.object({
    source: z.enum(SOURCE_NAMES),
    provided: z.boolean().describe('false: the company delivers none of this source’s entities, and its marts are empty'),
    entities: z.string().describe('the source’s entities, comma-separated'),
  }),
  build: async ({ warehouse, config }) => {
    const rows = SOURCE_NAMES.map((source) => ({
      source,
      provided: provides(config, source),
      entities: entities.filter((e) => e.source === source).map((e) => e.entity).join(', '),
    }));
    await writeTable(warehouse, 'marts.sources_provided', [['source', 'VARCHAR'], ['provided', 'BOOLEAN'], ['entities', 'VARCHAR']], rows);
  },
});
