/**
 * `crm-eval run --example support-tickets`: the SLA attainment the pipeline computes with a
 * 30-minute first-response target agrees with the data set's own response_sla_met flags, and
 * CSAT with its scores; FCR and AHT, which the data does not hold, stay empty.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DATASETS_DIR } from '../../../sources/examples/catalog.ts';
import { literal, type Warehouse } from '../../../warehouse/warehouse.ts';
import { runExample } from '../../fixtures/example.ts';

let warehouse: Warehouse;
const source = literal(join(DATASETS_DIR, 'support-tickets', 'customer_support_tickets.csv'));

beforeAll(async () => {
  ({ warehouse } = await runExample('support-tickets'));
});

describe('the support-tickets example', () => {
  it('loads all 5,000 tickets and the 3,724 CSAT answers', async () => {
    expect(await warehouse.all(`SELECT count(*)::INT AS n FROM staging.tickets`)).toEqual([{ n: 5000 }]);
    expect(await warehouse.all(`SELECT count(*)::INT AS n FROM staging.surveys`)).toEqual([{ n: 3724 }]);
  });

  it('first-response SLA attainment agrees with the published flags', async () => {
    const [ours] = await warehouse.all<{ sla: number }>(`
      SELECT sum(sla_first_response * tickets) / sum(tickets) AS sla FROM marts.efficiency_monthly WHERE cut = 'all'`);
    const [published] = await warehouse.all<{ sla: number }>(`SELECT avg(response_sla_met::INT) AS sla FROM read_csv(${source})`);
    expect(Math.abs(ours!.sla - published!.sla)).toBeLessThan(0.001);
  });

  it('CSAT is the share of 4s and 5s among the scores', async () => {
    const [ours] = await warehouse.all<{ csat: number }>(`SELECT sum(csat * csat_n) / sum(csat_n) AS csat FROM marts.satisfaction_monthly WHERE cut = 'all'`);
    const [published] = await warehouse.all<{ csat: number }>(`SELECT avg((csat_score >= 4)::INT) AS csat FROM read_csv(${source}) WHERE csat_score IS NOT NULL`);
    expect(ours!.csat).toBeCloseTo(published!.csat, 10);
  });

  it('claims no FCR or handle time the data does not hold', async () => {
    expect(await warehouse.all(`SELECT count(fcr)::INT AS fcr, count(aht_minutes)::INT AS aht FROM marts.efficiency_monthly`)).toEqual([{ fcr: 0, aht: 0 }]);
  });
});
