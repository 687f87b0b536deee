/**
 * BG/NBD and Gamma-Gamma against the published CDNOW results (../shared/datasets/README.md):
 * the 2,357-customer sample, 39-week calibration to 1997-09-30, time in weeks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { expectedPurchases, expectedSpend, fitBgNbd, fitGammaGamma, hyp2f1, probabilityAlive, type RfmRecord } from '../../../transforms/stats/clv.ts';
import { Warehouse, literal } from '../../../warehouse/warehouse.ts';

const SAMPLE = resolve('../shared/datasets/cdnow/CDNOW_sample.txt');
let customers: Array<RfmRecord & { meanSpend: number }>;

beforeAll(async () => {
  const warehouse = await Warehouse.open(':memory:');
  // whitespace-separated: customer id, sample id, yyyymmdd, quantity, amount; one purchase day per row after summing
  customers = await warehouse.all<RfmRecord & { meanSpend: number }>(`
    WITH tx AS (
      SELECT f[1] AS customer, strptime(f[3], '%Y%m%d')::DATE AS day, CAST(f[5] AS DOUBLE) AS amount
      FROM (SELECT string_split(trim(regexp_replace(line, '\\s+', ' ', 'g')), ' ') AS f
            FROM read_csv(${literal(SAMPLE)}, columns = {'line': 'VARCHAR'}, header = false, delim = '\\t', auto_detect = false))),
    days AS (SELECT customer, day, sum(amount) AS amount FROM tx WHERE day <= DATE '1997-09-30' GROUP BY ALL),
    firsts AS (SELECT customer, min(day) AS first FROM days GROUP BY ALL)
    SELECT (count(*) - 1)::INT AS frequency, date_diff('day', first, max(day)) / 7.0 AS recency,
           date_diff('day', first, DATE '1997-09-30') / 7.0 AS "T", coalesce(avg(amount) FILTER (WHERE day > first), 0) AS "meanSpend"
    FROM days JOIN firsts USING (customer) GROUP BY customer, first`);
  warehouse.close();
});

describe('BG/NBD on the CDNOW sample', () => {
  it('has the 2,357 customers, 946 of them with a repeat purchase', () => {
    expect(customers).toHaveLength(2357);
    expect(customers.filter((c) => c.frequency > 0)).toHaveLength(946);
  });

  it('reproduces r = 0.2426, α = 4.4135, a = 0.7929, b = 2.4258 (within 1%) and LL = −9582.4', () => {
    const { params, logLikelihood } = fitBgNbd(customers);
    expect(params.r).toBeCloseTo(0.2426, 2);
    expect(Math.abs(params.r / 0.2426 - 1)).toBeLessThan(0.01);
    expect(Math.abs(params.alpha / 4.4135 - 1)).toBeLessThan(0.01);
    expect(Math.abs(params.a / 0.7929 - 1)).toBeLessThan(0.01);
    expect(Math.abs(params.b / 2.4258 - 1)).toBeLessThan(0.01);
    expect(logLikelihood).toBeCloseTo(-9582.43, 1);
  });

  it('gives the paper’s conditional expectation: x = 2, t_x = 30.43, T = 38.86 → 1.226 purchases in 39 weeks', () => {
    const params = { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 };
    expect(expectedPurchases(params, { frequency: 2, recency: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 2);
    const alive = probabilityAlive(params, { frequency: 2, recency: 30.43, T: 38.86 });
    expect(alive).toBeGreaterThan(0.5);
    expect(alive).toBeLessThan(1);
    expect(probabilityAlive(params, { frequency: 0, recency: 0, T: 38.86 })).toBe(1);
  });
});

describe('Gamma-Gamma on the CDNOW sample', () => {
  it('reproduces p = 6.25, q = 3.74, γ = 15.44 (within 1%)', () => {
    const { params } = fitGammaGamma(customers);
    expect(Math.abs(params.p / 6.25 - 1)).toBeLessThan(0.01);
    expect(Math.abs(params.q / 3.74 - 1)).toBeLessThan(0.01);
    expect(Math.abs(params.gamma / 15.44 - 1)).toBeLessThan(0.01);
  });

  it('shrinks a customer’s mean spend towards the population mean', () => {
    const params = { p: 6.25, q: 3.74, gamma: 15.44 };
    const population = (15.44 * 6.25) / 2.74;
    const spend = expectedSpend(params, 1, 100);
    expect(spend).toBeGreaterThan(population);
    expect(spend).toBeLessThan(100);
  });
});

it('hypergeometric 2F1 matches closed forms', () => {
  // 2F1(1, 1; 2; z) = −ln(1 − z) / z
  expect(hyp2f1(1, 1, 2, 0.5)).toBeCloseTo(-Math.log(0.5) / 0.5, 12);
});
