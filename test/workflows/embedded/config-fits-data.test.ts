/**
 * A configuration that does not fit the data stops the run after staging, before any mart, with
 * the setting and what the data has: a go-live after the last ticket, an after window that starts
 * once the data has ended, a control group no customer is in.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { publishedPath } from '../../../warehouse/publish.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../../fixtures/company.ts';
import { tempDir } from '../../fixtures/csv.ts';
import { validRows } from '../../fixtures/valid-rows.ts';

const customer = validRows['crm.customers']!;
const tinyHas = 'the data runs from 2022-02-01 to 2022-03-01 (tickets, orders, surveys, interactions)';

async function run(settings: Record<string, unknown>, dataDir = writeTinyCompany()) {
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  const result = await runPipeline({ dataDir, warehousePath, config: tinyCompanyConfig(settings), runId: 'fit-1' });
  const status = Object.fromEntries(result.outcomes.map((o) => [o.step.id, o.status]));
  return { result, status, warehousePath };
}

describe('a configuration that does not fit the data', () => {
  it('a go-live after the last record stops the run before the marts and publishes nothing', async () => {
    const { result, status, warehousePath } = await run({ crm_go_live: '2030-01-01' });
    expect(result.status).toBe('failed');
    expect(status).toMatchObject({ 'transform:staging': 'done', 'transform:marts': 'failed', test: 'skipped', publish: 'skipped' });
    expect(result.error).toBe(
      `transform:marts: the configuration does not fit the data:\n  crm_go_live: 2030-01-01 is after the last record, so nothing comes after it; ${tinyHas}`,
    );
    expect(existsSync(publishedPath(warehousePath))).toBe(false);
    const warehouse = await Warehouse.open(warehousePath, { readOnly: true });
    try {
      expect(await warehouse.all(`SELECT count(*)::INT AS marts FROM duckdb_tables() WHERE schema_name = 'marts'`)).toEqual([{ marts: 0 }]);
      expect(await warehouse.one(`SELECT status FROM meta.runs WHERE run_id = 'fit-1'`)).toEqual({ status: 'failed' });
    } finally {
      warehouse.close();
    }
  });

  it('a go-live on or before the first record, and an after window that starts after the last one', async () => {
    const early = await run({ crm_go_live: '2022-02-01' });
    expect(early.result.error).toMatch(/\n {2}crm_go_live: 2022-02-01 is not after the first record, so nothing comes before it; the data runs from 2022-02-01/);
    const late = await run({ ramp_up_months: 1 });
    expect(late.result.error).toMatch(
      /\n {2}ramp_up_months: the case study's after window starts 2022-03-15 \(1 month of ramp-up after go-live\), after the last record, so it is empty; the data runs from/,
    );
  });

  it('a control group value that matches no customer names the values the data has', async () => {
    const dataDir = writeTinyCompany({
      'crm.customers': ['east', 'south', 'west'].map((region, i) => ({ ...customer, customer_id: `C${i + 2}`, region })),
    });
    const { result, status } = await run({ control_group: { cut: 'region', values: ['wset', 'west'] } }, dataDir);
    expect(status['transform:marts']).toBe('failed');
    expect(result.error).toBe(
      'transform:marts: the configuration does not fit the data:\n' +
        "  control_group.values: wset matches no customer’s region; the data has: east, north, south, west; did you mean west?",
    );
  });

  it('a control group that holds every customer leaves nobody to compare with', async () => {
    const { result } = await run({ control_group: { cut: 'segment', values: ['retail'] } });
    expect(result.error).toMatch(/control_group\.values: every customer’s segment is in the control group, so no customer has the CRM to compare with$/);
  });

  it('settings that fit run through to the published marts', async () => {
    const dataDir = writeTinyCompany({ 'crm.customers': [{ ...customer, customer_id: 'C2', region: 'west' }] });
    const { result, warehousePath } = await run({ control_group: { cut: 'region', values: ['west'] } }, dataDir);
    expect(result.error).toBeUndefined();
    expect(existsSync(publishedPath(warehousePath))).toBe(true);
  });
});

describe('rollout waves that do not fit the data', () => {
  const regions = () => writeTinyCompany({ 'crm.customers': ['east', 'south', 'west'].map((region, i) => ({ ...customer, customer_id: `C${i + 2}`, region })) });

  it('a wave whose values match no customer is named, with what the data has', async () => {
    const { result, status } = await run({ rollout: [{ name: 'first', cut: 'region', values: ['sotuh'], go_live: '2022-02-15' }] }, regions());
    expect(status['transform:marts']).toBe('failed');
    expect(result.error).toBe(
      'transform:marts: the configuration does not fit the data:\n' +
        '  rollout[first].values: sotuh matches no customer’s region; the data has: east, north, south, west; did you mean south?',
    );
  });

  it('a wave going live outside the data, and waves on two cuts sharing customers, are named', async () => {
    const { result } = await run({
      rollout: [
        { name: 'east', cut: 'region', values: ['east'], go_live: '2022-02-15' },
        { name: 'retail', cut: 'segment', values: ['retail'], go_live: '2030-01-01' },
      ],
    }, regions());
    expect(result.error).toMatch(/\n {2}rollout\[retail\]\.go_live: 2030-01-01 is not inside the data, so the wave has no before or no after; the data runs from/);
    expect(result.error).toMatch(/\n {2}rollout\[retail\]: overlaps wave east: 1 customer is in both \(region and segment\); a customer goes live once/);
  });
});
