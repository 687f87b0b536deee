/**
 * A company with only CRM data is a normal case: it says so (`sources_provided: [crm]`), its
 * finance and HR entities are not expected, and the marts built from them are empty or say
 * "not measurable" rather than computing anything from data that is not there.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import type { ExtractOutput } from '../../../workflows/activities.ts';
import type { RunResult } from '../../../workflows/embedded/runner.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../../fixtures/company.ts';
import { tempDir, writeFile } from '../../fixtures/csv.ts';

const crmOnly = tinyCompanyConfig({ sources_provided: ['crm'] });
let run: RunResult;
let warehouse: Warehouse;

beforeAll(async () => {
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  run = await runPipeline({ dataDir: writeTinyCompany({}, { sources: ['crm'] }), warehousePath, config: crmOnly, runId: 'crm-only' });
  warehouse = await Warehouse.open(warehousePath, { readOnly: true });
});
afterAll(() => warehouse?.close());

describe('a CRM-only company that declares sources_provided: [crm]', () => {
  it('runs to the end; its finance and HR entities are not provided, not failed', () => {
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');
    const extracts = run.outcomes.filter((o) => o.step.kind === 'extract').map((o) => o.output as ExtractOutput);
    const statuses = Object.fromEntries(extracts.map((e) => [`${e.source}.${e.entity}`, e.status]));
    expect(statuses).toMatchObject({ 'crm.customers': 'loaded', 'finance.gl_entries': 'not_provided', 'finance.budgets': 'not_provided', 'hr.employees': 'not_provided', 'hr.timesheets': 'not_provided' });
  });

  it('says which sources it delivers in marts.sources_provided, for the pages', async () => {
    expect(await warehouse.all('SELECT source, provided FROM marts.sources_provided ORDER BY source')).toEqual([
      { source: 'crm', provided: true },
      { source: 'finance', provided: false },
      { source: 'hr', provided: false },
    ]);
  });

  it('marks the finance and HR entities as not provided in marts.data_quality, with no load', async () => {
    const quality = await warehouse.all<{ entity: string; provided: boolean; load_id: string | null }>(
      'SELECT source || \'.\' || entity AS entity, provided, load_id FROM marts.data_quality ORDER BY source, entity',
    );
    expect(quality.filter((q) => !q.provided).map((q) => q.entity)).toEqual(['finance.budgets', 'finance.gl_entries', 'hr.employees', 'hr.engagement_surveys', 'hr.timesheets', 'hr.training']);
    expect(quality.filter((q) => !q.provided).every((q) => q.load_id === null)).toBe(true);
    expect(quality.filter((q) => q.provided).every((q) => q.load_id !== null)).toBe(true);
  });

  it('has empty cost and people marts', async () => {
    for (const mart of ['cost_monthly', 'cost_kpis_monthly', 'people_monthly', 'training_effect']) {
      expect(await warehouse.one(`SELECT count(*)::INT AS n FROM marts.${mart}`), mart).toEqual({ n: 0 });
    }
  });

  it('says the investment is not measurable, in the verdict and in every sensitivity scenario', async () => {
    const verdict = await warehouse.all<{ metric: string; value: number | null; status: string; note: string }>('SELECT * FROM marts.crm_investment');
    const note = 'not measurable: no finance data (sources_provided)';
    const noteZh = '无法衡量：未提供财务数据（sources_provided）';
    for (const metric of ['total_investment', 'roi', 'npv', 'irr', 'payback_months']) {
      expect(verdict.find((r) => r.metric === metric)).toEqual({ metric, value: null, status: 'not_measurable', note, note_zh: noteZh });
    }
    const scenarios = await warehouse.all('SELECT scenario, npv, irr, payback_months, note, note_zh FROM marts.crm_investment_sensitivity ORDER BY scenario');
    expect(scenarios).toHaveLength(5);
    for (const s of scenarios) expect(s).toMatchObject({ npv: null, irr: null, payback_months: null, note, note_zh: noteZh });
  });

  it('values no service hours without HR data: the benefit is the margin uplift alone, and says so', async () => {
    const flows = await warehouse.all<{ service_benefit: number | null; crm_cost: number | null }>('SELECT service_benefit, crm_cost FROM marts.crm_cash_flows');
    expect(flows.length).toBeGreaterThan(0);
    expect(flows.every((f) => f.service_benefit === null && f.crm_cost === null)).toBe(true);
    const { margin } = await warehouse.one<{ margin: number }>('SELECT sum(margin_benefit) AS margin FROM marts.crm_cash_flows');
    const benefit = await warehouse.one<{ value: number; note: string; note_zh: string }>(`SELECT value, note, note_zh FROM marts.crm_investment WHERE metric = 'total_benefit'`);
    expect(benefit.value).toBeCloseTo(margin, 9);
    expect(benefit.note).toMatch(/^incremental gross margin only: service hours saved are not valued without HR data/);
    expect(benefit.note_zh).toMatch(/^仅含增量毛利：没有人力数据，节省的服务工时无法计价/);
  });
});

describe('a delivery that disagrees with sources_provided', () => {
  it('a finance file delivered by a company that declares no finance: refused before any step, naming the file and the setting', async () => {
    const dataDir = writeTinyCompany({}, { sources: ['crm'] });
    writeFile(join(dataDir, 'finance', 'gl_entries.csv'), 'entry_id\n');
    await expect(runPipeline({ dataDir, warehousePath: join(tempDir(), 'w.duckdb'), config: crmOnly })).rejects.toThrow(
      /finance\/gl_entries\.csv delivered, but finance is not in sources_provided: add finance to sources_provided in the configuration, or remove the file/,
    );
  });

  it('without the setting, a missing finance folder fails as before, and the message names the setting to declare', async () => {
    const result = await runPipeline({ dataDir: writeTinyCompany({}, { sources: ['crm', 'hr'] }), warehousePath: join(tempDir(), 'w.duckdb'), config: tinyCompanyConfig() });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/finance\.gl_entries.*no file delivered; looked for .*\. A company that delivers no finance data declares it in the configuration: sources_provided: \[crm, hr\]/s);
  });

  it('with neither finance nor HR delivered, every failed extract suggests the same whole setting', async () => {
    const result = await runPipeline({ dataDir: writeTinyCompany({}, { sources: ['crm'] }), warehousePath: join(tempDir(), 'w.duckdb'), config: tinyCompanyConfig() });
    const failed = result.outcomes.filter((o) => o.status === 'failed');
    expect(failed.map((o) => o.step.id)).toContain('extract:hr.employees');
    for (const o of failed) expect(o.error).toMatch(/declares it in the configuration: sources_provided: \[crm\]$/);
  });
});
