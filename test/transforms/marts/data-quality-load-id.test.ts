/**
 * The data-quality mart reads the load log and selects the latest load's rows by its load id.
 * A load id is data (a run id chosen on the command line): it must reach SQL as a bound value,
 * never as text pasted into the query.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConfig } from '../../../config/load.ts';
import { training } from '../../../sources/hr/training.ts';
import { loadEntity } from '../../../sources/load/load-entity.ts';
import { buildModel } from '../../../transforms/framework/build.ts';
import { model as dataQuality } from '../../../transforms/marts/data-quality.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { csvText, tempDir, writeFile } from '../../fixtures/csv.ts';
import { validRows } from '../../fixtures/valid-rows.ts';

let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await Warehouse.open(':memory:');
});
afterEach(() => warehouse.close());

async function loadTrainingAs(loadId: string) {
  const path = writeFile(join(tempDir(), 'hr/training.csv'), csvText(Object.keys(training.schema.shape), [validRows['hr.training']!]));
  await loadEntity(warehouse, { contract: training, path, loadId });
  await buildModel({ warehouse, config: parseConfig({}), piiSalt: 'salt' }, dataQuality);
}

describe('marts.data_quality with a load id that SQL would misread', () => {
  it("builds for a load id with a quote (o'brien)", async () => {
    await loadTrainingAs("o'brien");
    expect(await warehouse.all(`SELECT load_id, rows, completeness FROM marts.data_quality WHERE entity = 'training'`)).toEqual([
      { load_id: "o'brien", rows: 1, completeness: 1 },
    ]);
  });

  it('does not run SQL carried by a load id', async () => {
    await loadTrainingAs("x'; DROP TABLE raw.hr_training; --").catch(() => undefined);
    expect(await warehouse.tableExists('raw', 'hr_training')).toBe(true);
    expect(await warehouse.all(`SELECT count(*)::INT AS n FROM raw.hr_training`)).toEqual([{ n: 1 }]);
  });
});
