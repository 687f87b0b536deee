/**
 * The data-quality marts report what a field cost at the latest load: rows quarantined because
 * of it, and values set to NULL in rows that loaded (a bad optional field), per entity and per
 * field, so a page can show the two side by side.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConfig } from '../../../config/load.ts';
import { tickets } from '../../../sources/crm/tickets.ts';
import { loadEntity } from '../../../sources/load/load-entity.ts';
import { buildModel, testModel } from '../../../transforms/framework/build.ts';
import { model as dataQuality } from '../../../transforms/marts/data-quality.ts';
import { model as dataQualityFields } from '../../../transforms/marts/data-quality-fields.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { csvText, tempDir, writeFile } from '../../fixtures/csv.ts';
import { validRows } from '../../fixtures/valid-rows.ts';

const ticket = (id: string, changes: Record<string, string> = {}) => ({ ...validRows['crm.tickets']!, ticket_id: id, ...changes });

let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await Warehouse.open(':memory:');
});
afterEach(() => warehouse.close());

async function loadTickets(loadId: string, rows: Array<Record<string, string>>) {
  const path = writeFile(join(tempDir(), 'crm/tickets.csv'), csvText(Object.keys(tickets.schema.shape), rows));
  await loadEntity(warehouse, { contract: tickets, path, loadId, loadedAt: new Date('2022-03-01T00:00:00Z') });
}

const context = () => ({ warehouse, config: parseConfig({}), piiSalt: 'salt' });
async function build() {
  await buildModel(context(), dataQuality);
  await buildModel(context(), dataQualityFields);
}

describe('field-level issues in the data-quality marts', () => {
  it('counts, per entity and per field, the values set to NULL next to the rows quarantined, for the latest load only', async () => {
    await loadTickets('old', [ticket('T1', { contacts: '-1' }), ticket('T2', { reopened: 'x' })]);
    await loadTickets('new', [
      ticket('T1', { first_response_at: '2022-02-01T00:00:00Z' }), // before created_at: emptied
      ticket('T2', { first_response_at: '2022-02-01T00:00:00Z', contacts: '-1' }),
      ticket('T3', { priority: 'URGENT' }), // quarantined
      ticket('T4', { priority: 'URGENT', contacts: '-1' }), // quarantined, for its priority
      ticket('T5'),
    ]);
    await build();

    expect(await warehouse.all(`SELECT load_id, rows, quarantined, fields_nulled FROM marts.data_quality WHERE entity = 'tickets'`)).toEqual([
      { load_id: 'new', rows: 5, quarantined: 2, fields_nulled: 3 },
    ]);
    expect(await warehouse.all(`SELECT source, entity, field, load_id, quarantined, nulled, top_reason FROM marts.data_quality_fields`)).toEqual([
      { source: 'crm', entity: 'tickets', field: 'contacts', load_id: 'new', quarantined: 0, nulled: 1, top_reason: 'contacts: expected a value ≥ 0' },
      { source: 'crm', entity: 'tickets', field: 'first_response_at', load_id: 'new', quarantined: 0, nulled: 2, top_reason: 'first_response_at: first_response_at is before created_at' },
      { source: 'crm', entity: 'tickets', field: 'priority', load_id: 'new', quarantined: 2, nulled: 0, top_reason: 'priority: expected one of urgent, high, normal, low' },
    ]);
  });

  it('keep their contracts, and are empty of issues for a clean load', async () => {
    await loadTickets('clean', [ticket('T1')]);
    await build();
    for (const model of [dataQuality, dataQualityFields]) {
      expect((await testModel(context(), model)).filter((r) => r.failures > 0)).toEqual([]);
    }
    expect(await warehouse.all(`SELECT fields_nulled FROM marts.data_quality WHERE entity = 'tickets'`)).toEqual([{ fields_nulled: 0 }]);
    expect(await warehouse.all(`SELECT count(*)::INT AS n FROM marts.data_quality_fields`)).toEqual([{ n: 0 }]);
  });
});
