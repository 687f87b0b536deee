/**
 * The whole run (`crm-eval run`, the embedded pipeline) with the ledger, employees and
 * timesheets read from the database and every other entity from files: it succeeds and builds
 * the same cost and people marts as the run from files alone.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../config/load.ts';
import type { ExtractOutput } from '../../../../workflows/activities.ts';
import { runPipeline } from '../../../../workflows/embedded/pipeline.ts';
import { Warehouse } from '../../../../warehouse/warehouse.ts';
import { tempDir } from '../../../fixtures/csv.ts';
import { referenceFiles } from '../../../fixtures/reference-files.ts';
import { seedErp, type Erp } from './erp.ts';
import { availableServers, createScratch, type Scratch } from './servers.ts';

const servers = await availableServers();
// One server is enough for the whole run (the connector itself is tested on both).
const dialect = servers[0];

async function martRows(path: string, mart: string): Promise<unknown[]> {
  const warehouse = await Warehouse.open(path, { readOnly: true });
  try {
    return await warehouse.all(`SELECT * FROM marts.${mart} ORDER BY ALL`);
  } finally {
    warehouse.close();
  }
}

describe.runIf(dialect !== undefined)(`a run with finance and HR from ${dialect ?? 'a database'}`, () => {
  let scratch: Scratch;
  let erp: Erp;
  beforeAll(async () => {
    scratch = await createScratch(dialect!);
    erp = await seedErp(scratch, await referenceFiles());
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it('succeeds and builds the same cost and people marts as the run from files', async () => {
    const fromFiles = join(tempDir('crm-eval-run-files-'), 'warehouse.duckdb');
    const fromDb = join(tempDir('crm-eval-run-db-'), 'warehouse.duckdb');
    const files = await runPipeline({ dataDir: erp.dataDir, warehousePath: fromFiles, config: parseConfig({}), runId: 'files' });
    const sources = { 'finance.gl_entries': erp.sources.gl, 'hr.employees': erp.sources.employees, 'hr.timesheets': erp.sources.timesheets };
    const db = await runPipeline({ dataDir: erp.dataDir, warehousePath: fromDb, config: parseConfig({ sources }), runId: 'db' });
    expect(files.error).toBeUndefined();
    expect(db.error).toBeUndefined();
    const extracts = db.outcomes.filter((o) => o.step.kind === 'extract').map((o) => o.output as ExtractOutput);
    const fromDatabase = extracts.filter((e) => e.rowsFetched !== undefined);
    expect(fromDatabase.map((e) => `${e.source}.${e.entity}`).sort()).toEqual(['finance.gl_entries', 'hr.employees', 'hr.timesheets']);
    for (const e of fromDatabase) expect(e.file).toMatch(new RegExp(`^${dialect}://`));
    for (const mart of ['cost_monthly', 'people_monthly']) {
      const expected = await martRows(fromFiles, mart);
      expect(expected.length, mart).toBeGreaterThan(0);
      expect(await martRows(fromDb, mart), mart).toEqual(expected);
    }
  });
});
