/**
 * The clustered variance of an estimand, computed in DuckDB from the observations (_rollout.ts),
 * checked against answers worked out by hand: one cell’s mean, and a difference of two months
 * answered by the same customers, where clustering by customer must see the pairing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../config/load.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { clusteredVariances, rolloutPanels } from '../../../transforms/marts/_rollout.ts';
import { cellKey, monthIndex } from '../../../transforms/stats/staggered.ts';

const config = parseConfig({ control_group: null, rollout: [{ name: 'north', cut: 'region', values: ['north'], go_live: '2023-03-01' }] });
let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await Warehouse.open(':memory:');
  await warehouse.run(`CREATE SCHEMA IF NOT EXISTS marts`);
  await warehouse.run(`CREATE SCHEMA IF NOT EXISTS meta`);
  // csat answers: a, b twice (January and February), c and d once in January; e in the west
  await warehouse.run(`CREATE TABLE marts.kpi_observations AS
    SELECT * FROM (VALUES
      ('csat', 'a', DATE '2023-01-01', 1.0, 'north', 'retail'),
      ('csat', 'b', DATE '2023-01-01', 3.0, 'north', 'retail'),
      ('csat', 'c', DATE '2023-01-01', 2.0, 'north', 'retail'),
      ('csat', 'd', DATE '2023-01-01', 6.0, 'north', 'retail'),
      ('csat', 'a', DATE '2023-02-01', 2.0, 'north', 'retail'),
      ('csat', 'b', DATE '2023-02-01', 6.0, 'north', 'retail'),
      ('csat', 'e', DATE '2023-01-01', 5.0, 'west', 'vip')
    ) v(kpi, customer_id, month, value, region, segment)`);
});

afterAll(() => warehouse.close());

const jan = monthIndex('2023-01-01');
const feb = monthIndex('2023-02-01');

describe('the customer-clustered variance of an estimand', () => {
  it('cells and wave sizes come from the observations, never-treated included', async () => {
    const csat = (await rolloutPanels(warehouse, config)).find((p) => p.kpi === 'csat')!;
    expect(csat.cells.find((c) => c.cohort === 'north' && c.month === jan)).toEqual({ cohort: 'north', month: jan, n: 4, mean: 3 });
    expect(csat.cohorts.map((c) => [c.name, c.size])).toEqual([['north', 4], ['never_treated', 1]]);
    expect(csat.customers).toBe(5);
  });

  it('one cell’s mean: s² / n = (4 + 0 + 1 + 9)/3 / 4 = 14/12', async () => {
    const estimand = { estimate: 3, weights: new Map([[cellKey('north', jan), 1]]) };
    const v = await clusteredVariances(warehouse, config, [{ kpi: 'csat', id: 'jan', estimand }]);
    expect(v.get('csat|jan')).toBeCloseTo(14 / 12, 12);
  });

  it('February − January: a and b answer both, so their influence nets out across the months', async () => {
    // January’s mean over a, b, c, d is 3; February’s over a, b is 4. Worked out per customer with
    // ψ = Σ w/n (y − ȳ) √(n/(n − 1)): a = ½(2 − 4)√2 − ¼(1 − 3)√(4/3), b = ½(6 − 4)√2 − ¼(3 − 3)√(4/3),
    // c = −¼(2 − 3)√(4/3), d = −¼(6 − 3)√(4/3)
    const estimand = { estimate: 1, weights: new Map([[cellKey('north', feb), 1], [cellKey('north', jan), -1]]) };
    const k = Math.sqrt(4 / 3);
    const psi = [-Math.SQRT2 + 0.5 * k, Math.SQRT2, 0.25 * k, -0.75 * k];
    const v = await clusteredVariances(warehouse, config, [{ kpi: 'csat', id: 'diff', estimand }]);
    expect(v.get('csat|diff')).toBeCloseTo(psi.reduce((s, x) => s + x * x, 0), 12);
    // treating the months as independent samples would give a different answer
    expect(v.get('csat|diff')).not.toBeCloseTo(8 / 2 + 14 / 12, 3);
  });

  it('leaves no working table behind', async () => {
    expect(await warehouse.tableExists('meta', 'rollout_weights')).toBe(false);
  });
});
