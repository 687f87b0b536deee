/**
 * The CRM investment verdict says what it rests on: months after the end of the data are
 * projected, and a company without finance data gets "not measurable", never "pays back after
 * 0 months" or an NPV of 0.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../config/load.ts';
import { generateCompany } from '../../../sources/reference-company/generate.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { tempDir } from '../../fixtures/csv.ts';

type Row = { metric: string; value: number | null; status: string; note: string; note_zh: string };

async function investment(dataDir: string): Promise<Map<string, Row> & { projected?: boolean[] }> {
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  const run = await runPipeline({ dataDir, warehousePath, config: parseConfig({}) });
  expect(run.error).toBeUndefined();
  const warehouse = await Warehouse.open(warehousePath, { readOnly: true });
  try {
    const rows = new Map((await warehouse.all<Row>('SELECT * FROM marts.crm_investment')).map((r) => [r.metric, r]));
    const flows = await warehouse.all<{ projected: boolean }>('SELECT projected FROM marts.crm_cash_flows ORDER BY period');
    return Object.assign(rows, { projected: flows.map((f) => f.projected) });
  } finally {
    warehouse.close();
  }
}

let full: Map<string, Row> & { projected?: boolean[] };
let crmOnly: Map<string, Row>;
beforeAll(async () => {
  const dataDir = tempDir();
  await generateCompany({ outDir: dataDir, customers: 1000, seed: 42 });
  full = await investment(dataDir);
  // the same company without a general ledger: the header only
  const ledger = join(dataDir, 'finance', 'gl_entries.csv');
  writeFileSync(ledger, `${readFileSync(ledger, 'utf8').split('\n')[0]}\n`);
  crmOnly = await investment(dataDir);
});

describe('the CRM investment verdict', () => {
  it('on the reference company: horizon figures rest on 12 projected months; payback is projected exactly when its month is', () => {
    expect(full.projected!.filter(Boolean)).toHaveLength(12); // the data ends 24 of the 36 months after go-live
    for (const metric of ['total_investment', 'npv', 'roi', 'irr']) {
      expect(full.get(metric)).toMatchObject({
        status: 'projected',
        note: expect.stringContaining('12 of the 36 months are projected'),
        note_zh: expect.stringContaining('36 个月中有 12 个月为预测值'),
      });
    }
    const payback = full.get('payback_months')!;
    expect(payback.value).not.toBeNull();
    const month = Math.floor(payback.value!) + 1; // 24.4 months: the 25th month's flow completes it
    expect(payback.status).toBe(full.projected![month] ? 'projected' : 'measured');
    expect(payback.status).toBe('projected'); // this company pays back in month 28, after its data ends
    expect(payback.note).toMatch(/^projected: the cumulative flow turns positive in \d{4}-\d\d, after the data ends/);
    // the Chinese note from the same figures: the same month
    expect(payback.note_zh).toContain(`累计现金流在 ${/\d{4}-\d\d/.exec(payback.note)![0]} 转正`);
    expect(full.get('npv')!.note).toMatch(/^at 8\.0% a year, compounded monthly;/);
    expect(full.get('npv')!.note_zh).toMatch(/^年折现率 8\.0%，按月复利；/);
  });

  it('without finance data: not measurable, with no number to misread', () => {
    for (const metric of ['total_investment', 'roi', 'npv', 'irr', 'payback_months']) {
      expect(crmOnly.get(metric)).toEqual({
        metric,
        value: null,
        status: 'not_measurable',
        note: 'not measurable: no CRM project costs in the ledger (no finance data)',
        note_zh: '无法衡量：总账中没有 CRM 项目成本（无财务数据）',
      });
    }
  });
});
