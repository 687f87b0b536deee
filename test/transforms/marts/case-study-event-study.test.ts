/**
 * marts.case_study_event_study flags the months resting on a few answers. A month's effect is
 * the wave's mean that month against its comparison's mean that month: when either is a
 * handful of answers that happen to agree, the clustered interval shows a certainty the data
 * do not have, so the month says how few (smallest_cell) and is flagged below 30.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../config/load.ts';
import { model as eventStudy } from '../../../transforms/marts/case-study-event-study.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';

let warehouse: Warehouse;

// north goes live on 2023-07-01; west is never treated; three months a side, no ramp-up
const config = parseConfig({
  crm_go_live: '2023-07-01',
  ramp_up_months: 0,
  control_group: null,
  rollout: [{ name: 'north', cut: 'region', values: ['north'], go_live: '2023-07-01' }],
  case_study: { pre_months: 3, post_months: 3 },
});

/** `n` CSAT answers of `region` in `month`, each from its own customer, alternating 0 and 1 (`same`: all 1). */
const answers = (region: string, month: string, n: number, same = false) =>
  Array.from({ length: n }, (_, i) => `('csat', '${region}-${month}-${i}', DATE '${month}', ${same ? 1 : i % 2}.0, '${region}')`);

const MONTHS = ['2023-04-01', '2023-05-01', '2023-06-01', '2023-07-01', '2023-08-01', '2023-09-01'];

beforeAll(async () => {
  warehouse = await Warehouse.open(':memory:');
  await warehouse.run(`CREATE TABLE marts.kpi_observations AS
    SELECT kpi, customer_id, month, value, region, 'retail' AS segment,
           region <> 'west' AS is_treated
    FROM (VALUES
      ${MONTHS.flatMap((month) => [
        ...answers('north', month, 40),
        // in the go-live month the comparison answers only 3 times, all alike
        ...(month === '2023-07-01' ? answers('west', month, 3, true) : answers('west', month, 40)),
      ]).join(',\n      ')}
    ) v(kpi, customer_id, month, value, region)`);
  await eventStudy.build({ warehouse, config, piiSalt: '' });
});

afterAll(() => warehouse.close());

describe('case_study_event_study', () => {
  it('names the smallest cell behind a month and flags it below 30', async () => {
    const [golive] = await warehouse.all<{ smallest_cell: number; small_sample: boolean; ci_low: number; ci_high: number }>(
      `SELECT smallest_cell::INT AS smallest_cell, small_sample, ci_low, ci_high FROM marts.case_study_event_study WHERE kpi = 'csat' AND event_month = 0`,
    );
    // the west's three answers of the go-live month, not the forty of the north
    expect(golive).toMatchObject({ smallest_cell: 3, small_sample: true });
  });

  it('leaves a month of forty answers a side unflagged', async () => {
    const rows = await warehouse.all<{ event_month: number; smallest_cell: number; small_sample: boolean }>(
      `SELECT event_month::INT AS event_month, smallest_cell::INT AS smallest_cell, small_sample FROM marts.case_study_event_study WHERE kpi = 'csat' AND event_month > 0 ORDER BY event_month`,
    );
    expect(rows).toEqual([
      { event_month: 1, smallest_cell: 40, small_sample: false },
      { event_month: 2, smallest_cell: 40, small_sample: false },
    ]);
  });
});
