/**
 * A property-based fuzz test of the loader. Valid delivery files of every entity are mutated at
 * random (hostile values in a field, bytes inserted or deleted, lines duplicated, dropped or cut,
 * header columns renamed, dropped or added, line endings changed, CSV or JSON Lines) and loaded.
 * Each mutated file must be either
 *   - loaded, with rows read = rows loaded + rows quarantined, no NULL in a required column and,
 *     when the mutation kept the records intact, every delivered record read; or
 *   - refused with a LoadError whose message names the file (and no stack trace);
 * never a crash or another kind of error. The seed is printed with every failure, so a case can
 * be replayed with FUZZ_SEED=<seed>; the run is bounded in time (FUZZ_SECONDS, default 40).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableName } from '../../../sources/contract.ts';
import { columnSpecs } from '../../../sources/load/checks.ts';
import { loadEntity, LoadError } from '../../../sources/load/load-entity.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { tempDir } from '../../fixtures/csv.ts';
import { makeCase } from './fuzz-cases.ts';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 40);
const FIRST_SEED = Number(process.env.FUZZ_SEED ?? 20261201);

/** how the cases ended, reported at the end so a run shows what it exercised */
const outcomes = { clean: 0, quarantined: 0, refused: 0 };

let dir: string;
beforeAll(() => {
  dir = tempDir('crm-eval-fuzz-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(seed: number): Promise<string | null> {
  const c = makeCase(seed);
  const path = join(dir, `${seed}-${c.contract.entity}.${c.format}`);
  writeFileSync(path, c.bytes);
  const replay = `seed ${seed} (${c.description.join('; ')})`;
  const warehouse = await Warehouse.open(':memory:');
  try {
    let result;
    try {
      result = await loadEntity(warehouse, { contract: c.contract, path, loadId: 'FUZZ', loadedAt: new Date('2026-12-01T00:00:00Z') });
    } catch (error) {
      if (!(error instanceof LoadError)) return `${replay}: not a LoadError: ${(error as Error).stack}`;
      if (!error.message.includes(path)) return `${replay}: the message does not name the file: ${error.message}`;
      if (/\n\s+at /.test(error.message)) return `${replay}: a stack trace in the message: ${error.message}`;
      if (/reconciliation failed/.test(error.message)) return `${replay}: ${error.message}`;
      // a refusal is about the delivery: not an unexpected failure (retried), not SQL the loader built badly
      if (error.cause !== undefined) return `${replay}: refused as an unexpected failure: ${error.message}`;
      if (/(Parser|Binder|Catalog|Internal) Error/.test(error.message)) return `${replay}: an internal error: ${error.message}`;
      outcomes.refused++;
      if (process.env.FUZZ_VERBOSE) console.log(`refused ${replay}: ${error.message.slice(0, 200)}`);
      return null;
    }
    if (result.rowsRead !== result.rowsLoaded + result.rowsQuarantined) return `${replay}: does not reconcile: ${JSON.stringify(result)}`;
    if (c.records !== null && result.rowsRead !== c.records) return `${replay}: ${c.records} records delivered, ${result.rowsRead} read`;
    const table = tableName(c.contract);
    const required = columnSpecs(c.contract).filter((s) => !s.nullable).map((s) => `"${s.name}" IS NULL`);
    const counts = await warehouse.one<{ loaded: number; nulls: number; quarantined: number }>(`SELECT
      (SELECT count(*) FROM raw.${table} WHERE load_id = 'FUZZ')::INT AS loaded,
      (SELECT count(*) FROM raw.${table} WHERE load_id = 'FUZZ' AND (${required.join(' OR ') || 'false'}))::INT AS nulls,
      (SELECT count(*) FROM quarantine.${table} WHERE load_id = 'FUZZ')::INT AS quarantined`);
    if (counts.loaded !== result.rowsLoaded || counts.quarantined !== result.rowsQuarantined) return `${replay}: tables hold ${JSON.stringify(counts)}, the result says ${JSON.stringify(result)}`;
    if (counts.nulls > 0) return `${replay}: ${counts.nulls} loaded row(s) with NULL in a required column`;
    // every emptied field is one issue on a loaded row whose value is indeed NULL
    const kept = columnSpecs(c.contract).map((s) => `WHEN '${s.name}' THEN r."${s.name}" IS NOT NULL`).join(' ');
    const issues = await warehouse.one<{ n: number; orphans: number; kept: number }>(`SELECT count(*)::INT AS n,
      count(*) FILTER (WHERE r.source_row IS NULL)::INT AS orphans, count(*) FILTER (WHERE CASE f.field ${kept} ELSE true END)::INT AS kept
      FROM quarantine.${table}_fields f LEFT JOIN raw.${table} r USING (load_id, source_row) WHERE f.load_id = 'FUZZ'`);
    if (issues.n !== result.fieldsNulled || issues.orphans > 0 || issues.kept > 0) return `${replay}: field-level issues ${JSON.stringify(issues)}, the result says ${result.fieldsNulled}`;
    if (result.rowsQuarantined > 0) outcomes.quarantined++;
    else outcomes.clean++;
    return null;
  } finally {
    warehouse.close();
  }
}

describe('the loader under random mutations of valid deliveries', () => {
  it(`loads with every row accounted for, or refuses naming the file (≤ ${SECONDS} s)`, { timeout: (SECONDS + 60) * 1000 }, async () => {
    const started = Date.now();
    const failures: string[] = [];
    let cases = 0;
    for (let seed = FIRST_SEED; Date.now() - started < SECONDS * 1000 && cases < 5000; seed++, cases++) {
      const failure = await check(seed);
      if (failure) failures.push(failure);
      if (failures.length >= 10) break;
    }
    console.log(`fuzz: ${cases} cases from seed ${FIRST_SEED} in ${((Date.now() - started) / 1000).toFixed(0)} s: ${outcomes.clean} loaded clean, ${outcomes.quarantined} loaded with rows quarantined, ${outcomes.refused} refused`);
    expect(cases).toBeGreaterThan(SECONDS >= 20 ? 50 : 0); // a short replay of one seed may run few
    expect(failures).toEqual([]);
  });
});
