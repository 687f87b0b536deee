/** SLA in business hours: a ticket opened on Friday evening and answered on Monday morning. */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runPipeline } from '../../../workflows/embedded/pipeline.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../../fixtures/company.ts';
import { tempDir } from '../../fixtures/csv.ts';
import { validRows } from '../../fixtures/valid-rows.ts';

const ticket = validRows['crm.tickets']!;
// Friday 2022-02-04 17:00 → Monday 2022-02-07 10:00: 65 calendar hours, 2 business hours (Mon-Fri 9-18)
const weekend = { ...ticket, ticket_id: 'T2', created_at: '2022-02-04T17:00:00Z', first_response_at: '2022-02-07T10:00:00Z', resolved_at: '2022-02-07T12:00:00Z', closed_at: '2022-02-07T12:00:00Z' };

async function efficiency(hours: 'calendar' | 'business') {
  const dataDir = writeTinyCompany({ 'crm.tickets': [weekend] });
  const warehousePath = join(tempDir(), 'w.duckdb');
  const config = tinyCompanyConfig({ sla: { first_response_hours: { urgent: 1, high: 4, normal: 8, low: 24 }, resolution_hours: { urgent: 8, high: 24, normal: 72, low: 120 }, hours } });
  const result = await runPipeline({ dataDir, warehousePath, config, runId: hours });
  expect(result.error).toBeUndefined();
  const warehouse = await Warehouse.open(warehousePath, { readOnly: true });
  try {
    return (await warehouse.all(`SELECT sla_first_response, first_response_business_hours_median AS business_median
      FROM marts.efficiency_monthly WHERE cut = 'all' AND month = DATE '2022-02-01'`))[0];
  } finally {
    warehouse.close();
  }
}

describe('SLA hours', () => {
  it('in calendar hours the weekend ticket misses its 8-hour target', async () => {
    // T1: 1 hour (met); T2: 65 hours (missed)
    expect(await efficiency('calendar')).toEqual({ sla_first_response: 0.5, business_median: null });
  });

  it('in business hours it meets it, and business-hour medians are reported', async () => {
    // T1 (Wednesday 09:00 → 10:00): 1 business hour; T2: 1 h on Friday + 1 h on Monday
    expect(await efficiency('business')).toEqual({ sla_first_response: 1, business_median: 1.5 });
  });
});
