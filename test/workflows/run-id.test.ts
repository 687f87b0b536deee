/**
 * Run ids are checked where they enter: the documented character set accepts every id the
 * project makes and refuses anything that could be misread by SQL, a shell or a file system.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConfig } from '../../config/load.ts';
import { createActivities } from '../../workflows/activities.ts';
import { newRunId } from '../../workflows/embedded/runner.ts';
import { InvalidRunIdError, isValidRunId, validateRunId } from '../../workflows/run-id.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir } from '../fixtures/csv.ts';
import { writeTinyCompany } from '../fixtures/company.ts';

const made = [
  'run-20261122T120000Z-3f9a',
  'crm-eval-nightly-manual-20261122T120000Z',
  'crm-eval-nightly-2026-11-22T02:00:00Z',
  'crm-eval-nightly-2026-11-22T02:00:00Z@2024-01-01',
  'crm-eval-backfill-2024-01-01-2024-04-01-20261122T120000Z',
  'tiny',
  'L1',
  'a'.repeat(200),
];
const hostile = [
  "x'; DROP TABLE raw.hr_training; --",
  "o'brien",
  'two words',
  '',
  '-starts-with-a-dash',
  '.hidden',
  '../../etc/passwd',
  'a/b',
  'a\\b',
  'semi;colon',
  'back`tick',
  'new\nline',
  'nul\0byte',
  'quote"d',
  'a'.repeat(201),
];

describe('run ids', () => {
  it.each(made)('accepts %s', (id) => expect(validateRunId(id)).toBe(id));
  it('accepts what newRunId makes', () => expect(isValidRunId(newRunId())).toBe(true));
  it.each(hostile)('refuses %j, saying what is allowed', (id) => {
    expect(() => validateRunId(id)).toThrow(InvalidRunIdError);
    expect(() => validateRunId(id)).toThrow(/expected a letter or digit followed by at most 199 letters, digits or \. _ : @ \+ -/);
  });
  it('refuses what is not a string', () => {
    expect(isValidRunId(undefined)).toBe(false);
    expect(isValidRunId(42)).toBe(false);
  });
});

describe('recordRunStart, the gate every run passes (embedded or Temporal)', () => {
  it('refuses an invalid run id before anything is written', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const activities = createActivities({ config: parseConfig({}), withWarehouse: (work) => work(warehouse), dataDir: writeTinyCompany() });
      await expect(activities.recordRunStart({ runId: "o'brien", runner: 'test' })).rejects.toThrow(InvalidRunIdError);
      expect(await warehouse.tableExists('meta', 'runs')).toBe(false);
      await expect(activities.recordRunStart({ runId: 'run-20261122T120000Z-3f9a', runner: 'test' })).resolves.toMatchObject({});
    } finally {
      warehouse.close();
    }
  });

  it('extractEntity refuses an invalid load id (a backfill chunk is <run id>@<date>)', async () => {
    const warehouse = await Warehouse.open(':memory:');
    try {
      const activities = createActivities({ config: parseConfig({}), withWarehouse: (work) => work(warehouse) });
      await expect(activities.extractEntity({ runId: "x'--@2024-01-01", dataDir: tempDir(), source: 'crm', entity: 'customers' })).rejects.toThrow(
        InvalidRunIdError,
      );
    } finally {
      warehouse.close();
    }
  });
});
