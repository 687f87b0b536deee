/**
 * Hostile and messy deliveries: each is either loaded with every row accounted for (rows read =
 * loaded + quarantined, the reason stored) or refused whole with a message naming the file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { referrals } from '../../../sources/crm/referrals.ts';
import { loadEntity } from '../../../sources/load/load-entity.ts';
import { literal, Warehouse } from '../../../warehouse/warehouse.ts';
import { csvText, tempDir, writeFile } from '../../fixtures/csv.ts';
import { validRows } from '../../fixtures/valid-rows.ts';

let warehouse: Warehouse;
let dir: string;
beforeEach(async () => {
  warehouse = await Warehouse.open(':memory:');
  dir = tempDir();
});
afterEach(() => warehouse.close());

const referral = (id: string, changes: Record<string, string> = {}) => ({ ...validRows['crm.referrals']!, referral_id: id, ...changes });
const referralColumns = Object.keys(referrals.schema.shape);

describe('paths are literal', () => {
  it.each(['in*', 'in?', 'in[b]ox', 'in[*]'])('a data folder named %s reads its own file, not every folder the name matches as a pattern', async (name) => {
    writeFile(join(dir, name, 'crm/referrals.csv'), csvText(referralColumns, [referral('F1')]));
    // folders the name would match as a glob pattern
    for (const other of ['inbox', 'in1', 'inb', 'in*x', 'in[*]']) {
      if (other !== name) writeFile(join(dir, other, 'crm/referrals.csv'), csvText(referralColumns, [referral(`X-${other}`), referral(`Y-${other}`)]));
    }
    const path = join(dir, name, 'crm/referrals.csv');
    const result = await loadEntity(warehouse, { contract: referrals, path, loadId: 'L1' });
    expect(result).toMatchObject({ rowsRead: 1, rowsLoaded: 1 });
    expect(await warehouse.all(`SELECT referral_id FROM raw.crm_referrals`)).toEqual([{ referral_id: 'F1' }]);
  });

  it('the same for Parquet and JSON Lines', async () => {
    for (const name of ['in*', 'inbox']) {
      const csv = writeFile(join(dir, 'csv', `${name}.csv`), csvText(referralColumns, [referral(`F-${name}`), ...(name === 'in*' ? [] : [referral('X')])]));
      mkdirSync(join(dir, name, 'crm'), { recursive: true });
      const parquet = join(dir, 'csv', `${name === 'in*' ? 'star' : name}.parquet`);
      await warehouse.run(`COPY (SELECT * FROM read_csv(${literal(csv.replace('*', '[*]'))}, all_varchar = true)) TO ${literal(parquet)} (FORMAT parquet)`);
      renameSync(parquet, join(dir, name, 'crm/referrals.parquet'));
      const rows = name === 'in*' ? [referral(`F-${name}`)] : [referral('X'), referral('Y')];
      writeFileSync(join(dir, name, 'crm/referrals.jsonl'), rows.map((r) => `${JSON.stringify({ ...r, converted: true })}\n`).join(''));
    }
    for (const file of ['referrals.parquet', 'referrals.jsonl']) {
      const result = await loadEntity(warehouse, { contract: referrals, path: join(dir, 'in*', 'crm', file), loadId: 'L1' });
      expect(result).toMatchObject({ rowsRead: 1, rowsLoaded: 1 });
    }
  });
});
