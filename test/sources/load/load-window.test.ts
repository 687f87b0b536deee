/**
 * A backfill's load: a window [from, to) over the watermark selects the rows read, and they
 * replace what earlier loads held for that window; everything outside it is left alone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { customers } from '../../../sources/crm/customers.ts';
import { interactions } from '../../../sources/crm/interactions.ts';
import { loadEntity, LoadError } from '../../../sources/load/load-entity.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { validRows } from '../../fixtures/valid-rows.ts';
import { csvText, tempDir, writeFile } from '../../fixtures/csv.ts';

const columns = Object.keys(interactions.schema.shape);
const interaction = (id: string, occurredAt: string, changes: Record<string, string> = {}) => ({
  ...validRows['crm.interactions']!, interaction_id: id, occurred_at: occurredAt, ...changes,
});
const JANUARY = { from: '2024-01-01', to: '2024-02-01' };

let warehouse: Warehouse;
let dir: string;
beforeEach(async () => {
  warehouse = await Warehouse.open(':memory:');
  dir = tempDir();
});
afterEach(() => warehouse.close());

const file = (name: string, rows: Array<Record<string, string>>) => writeFile(join(dir, `${name}.csv`), csvText(columns, rows));
const ids = async (table = 'raw.crm_interactions') =>
  (await warehouse.all<{ id: string; load_id: string }>(`SELECT interaction_id AS id, load_id FROM ${table} ORDER BY 1`)).map((r) => `${r.id}:${r.load_id}`);

/** The nightly loads so far: December, January (one row later corrected) and February. */
async function nightlyLoads() {
  const path = file('nightly', [
    interaction('I1', '2023-12-31T23:59:59Z'),
    interaction('I2', '2024-01-01T00:00:00Z'),
    interaction('I3', '2024-01-15T12:00:00Z', { kind: 'fax' }), // quarantined
    interaction('I4', '2024-02-01T00:00:00Z'),
  ]);
  await loadEntity(warehouse, { contract: interactions, path, loadId: 'nightly' });
}

describe('a load with a backfill window', () => {
  it('reads only the window, replaces the window of earlier loads and leaves the rest', async () => {
    await nightlyLoads();
    // The corrected January export: I3 is fixed, I5 was missing; rows outside January are ignored.
    const path = file('january', [
      interaction('I0', '2023-12-01T00:00:00Z'),
      interaction('I2', '2024-01-01T00:00:00Z'),
      interaction('I3', '2024-01-15T12:00:00Z'),
      interaction('I5', '2024-01-31T23:59:59Z'),
      interaction('I6', '2024-02-01T00:00:00Z'), // `to` is exclusive
    ]);
    const result = await loadEntity(warehouse, { contract: interactions, path, loadId: 'backfill@2024-01-01', window: JANUARY });

    expect(result).toMatchObject({ rowsInFile: 5, rowsSkipped: 2, rowsRead: 3, rowsLoaded: 3, rowsQuarantined: 0, window: JANUARY });
    expect(result.rowsRead).toBe(result.rowsLoaded + result.rowsQuarantined);
    expect(await ids()).toEqual(['I1:nightly', 'I2:backfill@2024-01-01', 'I3:backfill@2024-01-01', 'I4:nightly', 'I5:backfill@2024-01-01']);
    // I3's quarantine record from the nightly load was in January: it went with that load's January.
    expect(await warehouse.all(`SELECT count(*)::BIGINT AS n FROM quarantine.crm_interactions`)).toEqual([{ n: 0 }]);
  });

  it('ignores the incremental watermark: rows before it are read again', async () => {
    await nightlyLoads(); // watermark now 2024-02-01
    const path = file('january', [interaction('I2', '2024-01-01T00:00:00Z')]);
    const result = await loadEntity(warehouse, { contract: interactions, path, loadId: 'b1', window: JANUARY });
    expect(result).toMatchObject({ rowsSkipped: 0, rowsLoaded: 1, watermarkBefore: '2024-02-01 00:00:00' });
  });

  it('quarantines the window’s bad rows once, replacing the earlier loads’ records for it', async () => {
    await nightlyLoads();
    expect(await warehouse.all(`SELECT load_id, field FROM quarantine.crm_interactions`)).toEqual([{ load_id: 'nightly', field: 'kind' }]);
    const path = file('january', [interaction('I3', '2024-01-15T12:00:00Z', { kind: 'pigeon' }), interaction('I7', 'not a time')]);
    const result = await loadEntity(warehouse, { contract: interactions, path, loadId: 'b1', window: JANUARY });
    // A row whose watermark cannot be read is in no window: skipped, not quarantined again.
    expect(result).toMatchObject({ rowsRead: 1, rowsLoaded: 0, rowsQuarantined: 1, rowsSkipped: 1 });
    expect(await warehouse.all(`SELECT load_id, field FROM quarantine.crm_interactions`)).toEqual([{ load_id: 'b1', field: 'kind' }]);
  });

  it('retried under the same load id, replaces itself', async () => {
    const path = file('january', [interaction('I2', '2024-01-01T00:00:00Z'), interaction('I5', '2024-01-20T00:00:00Z')]);
    await loadEntity(warehouse, { contract: interactions, path, loadId: 'b1', window: JANUARY });
    await loadEntity(warehouse, { contract: interactions, path, loadId: 'b1', window: JANUARY });
    expect(await ids()).toEqual(['I2:b1', 'I5:b1']);
  });

  it('of an entity without a watermark loads the whole file (a full extract) and says no window applied', async () => {
    const customerColumns = Object.keys(customers.schema.shape);
    const path = writeFile(join(dir, 'customers.csv'), csvText(customerColumns, [validRows['crm.customers']!]));
    await loadEntity(warehouse, { contract: customers, path, loadId: 'nightly' });
    const result = await loadEntity(warehouse, { contract: customers, path, loadId: 'b1', window: JANUARY });
    expect(result).toMatchObject({ rowsRead: 1, rowsLoaded: 1, rowsSkipped: 0, window: null });
    expect(await warehouse.all(`SELECT load_id FROM raw.crm_customers`)).toEqual([{ load_id: 'b1' }]);
  });

  it('refuses a window that is not two ISO dates in order, and writes nothing', async () => {
    const path = file('january', [interaction('I2', '2024-01-01T00:00:00Z')]);
    const load = loadEntity(warehouse, { contract: interactions, path, loadId: 'b1', window: { from: '2024-02-01', to: '2024-01-01' } });
    await expect(load).rejects.toBeInstanceOf(LoadError);
    await expect(load).rejects.toThrow(/invalid backfill window 2024-02-01 to 2024-01-01/);
    expect(await warehouse.all(`SELECT count(*)::BIGINT AS n FROM raw.crm_interactions`)).toEqual([{ n: 0 }]);
  });

  it('works on a DATE watermark too (finance.gl_entries.posted_on)', async () => {
    const { glEntries } = await import('../../../sources/finance/gl-entries.ts');
    const glColumns = Object.keys(glEntries.schema.shape);
    const entry = (id: string, postedOn: string) => ({ ...validRows['finance.gl_entries']!, entry_id: id, posted_on: postedOn });
    const path = writeFile(join(dir, 'gl.csv'), csvText(glColumns, [entry('G1', '2023-12-31'), entry('G2', '2024-01-31'), entry('G3', '2024-02-01')]));
    const result = await loadEntity(warehouse, { contract: glEntries, path, loadId: 'b1', window: JANUARY });
    expect(result).toMatchObject({ rowsRead: 1, rowsLoaded: 1, rowsSkipped: 2 });
  });
});
