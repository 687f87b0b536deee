/**
 * `crm-eval run --example cdnow`: the CDNOW sample mapped onto the contract and run through the
 * whole pipeline reproduces the published BG/NBD and Gamma-Gamma parameters
 * (../shared/datasets/README.md) within 1%; marts the data cannot feed stay empty.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../warehouse/warehouse.ts';
import { runExample } from '../../fixtures/example.ts';

let warehouse: Warehouse;

beforeAll(async () => {
  ({ warehouse } = await runExample('cdnow'));
});

const PUBLISHED = { bg_nbd: { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 }, gamma_gamma: { p: 6.25, q: 3.74, gamma: 15.44 } };

describe('the cdnow example', () => {
  it.each(Object.entries(PUBLISHED).flatMap(([model, params]) => Object.entries(params).map(([p, v]) => [model, p, v] as const)))(
    '%s %s reproduces the published %s within one percent',
    async (model, parameter, published) => {
      const [row] = await warehouse.all<{ value: number; time_unit: string }>(`SELECT value, time_unit FROM marts.clv_model WHERE model = '${model}' AND parameter = '${parameter}'`);
      expect(row!.time_unit).toBe('weeks');
      expect(Math.abs(row!.value / published - 1)).toBeLessThan(0.01);
    },
  );

  it('loads every purchase and customer, and leaves the service marts empty', async () => {
    expect(await warehouse.all(`SELECT count(*)::INT AS n FROM staging.orders`)).toEqual([{ n: 6919 }]);
    expect(await warehouse.all(`SELECT count(*)::INT AS n FROM staging.customers`)).toEqual([{ n: 2357 }]);
    // purchases feed the repeat purchase rate alone, from the first whole 12-month window (Dec 1997)
    expect(await warehouse.all(`SELECT kpi, min(month)::VARCHAR AS first FROM marts.kpi_observations GROUP BY kpi`)).toEqual([{ kpi: 'repeat_purchase_rate', first: '1997-12-01' }]);
    // and no 12-month window before the go-live (1997-10) lies inside the data: nothing to compare
    expect(await warehouse.all(`SELECT count(*)::INT AS n FROM marts.case_study`)).toEqual([{ n: 0 }]);
    expect(await warehouse.all(`SELECT count(complaint_rate)::INT AS n FROM marts.satisfaction_monthly`)).toEqual([{ n: 0 }]);
  });
});
