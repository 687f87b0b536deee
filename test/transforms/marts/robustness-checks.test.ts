/**
 * The robustness checks on small synthetic series, where the truth is known by construction:
 * a check must be able to fail, so a planted pre-trend is flagged and parallel series are not.
 */
import { describe, expect, it } from 'vitest';
import { findKpi } from '../../../transforms/marts/_kpis.ts';
import { flagByHolm, mde, preTrend, type Row } from '../../../transforms/marts/_robustness.ts';

const MONTHS = Array.from({ length: 18 }, (_, i) => `2022-${String((i % 12) + 1).padStart(2, '0')}-01`.replace('2022', String(2022 + Math.floor(i / 12))));
let seed = 3;
const uniform = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const noise = (sd: number) => sd * Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
// a shared season (a December peak) that both groups follow: it cancels in treated − control
const season = (i: number) => (i % 12 === 11 ? 0.05 : 0);
const series = (f: (i: number) => number) => new Map(MONTHS.map((m, i) => [m, f(i)]));

function preTrendRows(plantedSlope: number): Row[] {
  // twelve KPIs like the case study's; only the first has treated drifting away from control
  return Array.from({ length: 12 }, (_, k) => {
    const control = series((i) => 0.6 + season(i) + noise(0.01));
    const treated = series((i) => 0.6 + season(i) + (k === 0 ? plantedSlope * i : 0) + noise(0.01));
    return { kpi: `kpi_${k}`, check_name: 'pre_trend', method: 'difference_in_differences', go_live: '2023-07-01', grp: 'treated_minus_control', ...preTrend(findKpi('csat'), treated, control, MONTHS) };
  });
}

describe('the pre-trend check of the difference-in-differences', () => {
  it('flags a treated group that was already drifting away from the control before go-live', () => {
    // +0.5 points a month: 8.5 points over the pre-period, which a DiD would sell as CRM effect
    const rows = flagByHolm(preTrendRows(0.005));
    expect(rows[0]!.estimate).toBeCloseTo(0.005, 2);
    expect(rows[0]!.ci_low as number).toBeGreaterThan(0);
    expect(rows[0]!.flagged).toBe(true);
    expect(rows.slice(1).filter((r) => r.flagged)).toEqual([]);
  });

  it('does not flag groups that move in parallel, even with a season they share', () => {
    const rows = flagByHolm(preTrendRows(0));
    expect(rows.filter((r) => r.flagged)).toEqual([]);
    for (const r of rows) expect(r.p_holm as number).toBeGreaterThanOrEqual(r.p_value as number);
  });
});

describe('the minimum detectable effect of a comparison', () => {
  const change = (estimate: number, pValue: number) => ({ estimate, low: null, high: null, pValue, se: 0.02, df: 500, base: 0.6 });

  it('reads a not-significant change smaller than the MDE as too few data to tell', () => {
    const row = mde(findKpi('csat'), change(0.03, 0.3), true);
    // 2.8 standard errors of 0.02 over a before mean of 0.6: about ±9.4%
    expect(row.estimate).toBeCloseTo((2.8 * 0.02) / 0.6, 2);
    expect(row.flagged).toBe(true);
    expect(row.note).toMatch(/too few data/);
  });

  it('does not flag a significant change', () => {
    expect(mde(findKpi('csat'), change(0.2, 0.001), true).flagged).toBe(false);
  });
});
