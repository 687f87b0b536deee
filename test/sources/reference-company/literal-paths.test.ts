/** The generator's Parquet conversion reads back exactly the files it wrote, whatever the folder is named. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generateCompany } from '../../../sources/reference-company/generate.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { csvText, tempDir, writeFile } from '../../fixtures/csv.ts';
import { validRows } from '../../fixtures/valid-rows.ts';
import { customers } from '../../../sources/crm/customers.ts';

describe('generate --format parquet --out "in*"', () => {
  it('converts its own files, not those of every folder the name matches', async () => {
    const parent = tempDir();
    writeFile(join(parent, 'inbox', 'crm', 'customers.csv'), csvText(Object.keys(customers.schema.shape), [validRows['crm.customers']!]));
    const manifest = await generateCompany({ outDir: join(parent, 'in*'), customers: 50, seed: 1, format: 'parquet' });
    const warehouse = await Warehouse.open(':memory:');
    try {
      const { n } = await warehouse.one<{ n: number }>(`SELECT count(*)::INT AS n FROM read_parquet($1)`, [join(parent, 'in[*]', 'crm', 'customers.parquet')]);
      expect(n).toBe(manifest.rows['crm.customers']);
    } finally {
      warehouse.close();
    }
  });
});
