/**
 * A worked example with known answers: six units, two per cohort (an early wave treated from
 * month 2, a late wave from month 4, two never treated), six months. Each value is the unit’s
 * level + the month + the effect in force; E1 has an extra +2 in month 0 (before go-live) and N2
 * an extra +1 in month 5 (a shock the comparison group carries). Each wave is measured from its
 * before window (all months before its go-live). The group-time effects are worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  cellKey, cohortLevel, eventTimeEffect, groupTimeEffects, overallEffect, ratio, twoWayFixedEffects, waveEffect,
  type Cell, type Cohort, type Estimand,
} from '../../../transforms/stats/staggered.ts';

const level: Record<string, number> = { E1: 10, E2: 12, L1: 20, L2: 22, N1: 30, N2: 34 };
const cohortOf = (unit: string) => ({ E: 'early', L: 'late', N: 'never' })[unit[0] as 'E' | 'L' | 'N'];
const effect = (unit: string, t: number) => (unit[0] === 'E' && t >= 2 ? 2 + (t - 2) : unit[0] === 'L' && t >= 4 ? 1 + (t - 4) : 0);
const shock = (unit: string, t: number) => (unit === 'E1' && t === 0 ? 2 : 0) + (unit === 'N2' && t === 5 ? 1 : 0);
const value = (unit: string, t: number) => level[unit]! + t + effect(unit, t) + shock(unit, t);

function cellsOf(values: (unit: string, t: number) => number): Cell[] {
  const cells: Cell[] = [];
  for (const cohort of ['early', 'late', 'never']) {
    for (let month = 0; month < 6; month++) {
      const ys = Object.keys(level).filter((u) => cohortOf(u) === cohort).map((u) => values(u, month));
      cells.push({ cohort, month, n: ys.length, mean: ys.reduce((s, y) => s + y, 0) / ys.length });
    }
  }
  return cells;
}

const cohorts: Cohort[] = [
  { name: 'early', firstMonth: 2, size: 2, rampUpMonths: 0 },
  { name: 'late', firstMonth: 4, size: 2, rampUpMonths: 0 },
  { name: 'never', firstMonth: null, size: 2, rampUpMonths: 0 },
];
const cells = cellsOf(value);
const PRE = 12;
const effects = groupTimeEffects(cells, cohorts, PRE);
const att = (cohort: string, month: number) => effects.find((e) => e.cohort === cohort && e.month === month)?.estimate;
/** the estimate recomputed from its weights: every estimand is a linear combination of cell means */
const fromWeights = (e: Estimand) => [...e.weights].reduce((s, [k, w]) => s + w * cells.find((c) => cellKey(c.cohort, c.month) === k)!.mean, 0);

describe('group-time effects (Callaway & Sant’Anna, not-yet-treated and never-treated comparisons)', () => {
  // cell means: early 12, 12, 15, 17, 19, 21; late 21, 22, 23, 24, 26, 28; never 32, 33, 34, 35, 36, 37.5
  it('ATT(early, 3) = (17 − (12 + 12)/2) − ((24 + 35)/2 − ((21 + 32)/2 + (22 + 33)/2)/2) = 5 − 2.5: the late wave still compares at month 3', () => {
    expect(att('early', 3)).toBeCloseTo(2.5, 12);
  });

  it('ATT(early, 5) = (21 − 12) − (37.5 − 32.5) = 4: only the never-treated compare, and carry N2’s shock', () => {
    expect(att('early', 5)).toBeCloseTo(4, 12);
  });

  it('ATT(late, 5) = (28 − 22.5) − (37.5 − 33.5) = 1.5: the early wave, already treated, is never a control', () => {
    expect(att('late', 5)).toBeCloseTo(1.5, 12);
  });

  it('leads are each month’s deviation from the before window: E1’s shock shows as ATT(early, 0) = 0.5 and ATT(early, 1) = −0.5', () => {
    expect(att('early', 0)).toBeCloseTo(0.5, 12);
    expect(att('early', 1)).toBeCloseTo(-0.5, 12);
    expect(att('late', 3)).toBeCloseTo(0, 12);
  });

  it('the event-time effect at e = 1 averages ATT(early, 3) = 2.5 and ATT(late, 5) = 1.5 by cohort size: 2', () => {
    expect(eventTimeEffect(effects, cohorts, 1)!.estimate).toBeCloseTo(2, 12);
  });

  it('wave effects average the after window: early (1.5 + 2.5 + 3.5 + 4)/4 = 2.875, late (1 + 1.5)/2 = 1.25; overall 2.0625', () => {
    const early = waveEffect(effects, cohorts[0]!, 12)!;
    const late = waveEffect(effects, cohorts[1]!, 12)!;
    expect(early.estimate).toBeCloseTo(2.875, 12);
    expect(late.estimate).toBeCloseTo(1.25, 12);
    const overall = overallEffect([[cohorts[0]!, early], [cohorts[1]!, late]])!;
    expect(overall.estimate).toBeCloseTo(2.0625, 12);
    expect(fromWeights(overall)).toBeCloseTo(2.0625, 12);
  });

  it('with a single base month (pre = 1) it is Callaway & Sant’Anna’s g − 1 comparison: ATT(early, 3) = (17 − 12) − (29.5 − 27.5) = 3', () => {
    expect(groupTimeEffects(cells, cohorts, 1).find((e) => e.cohort === 'early' && e.month === 3)!.estimate).toBeCloseTo(3, 12);
  });

  it('a ramp-up leaves the wave’s first months out of its average', () => {
    const early = waveEffect(effects, { ...cohorts[0]!, rampUpMonths: 2 }, 12)!;
    expect(early.estimate).toBeCloseTo((3.5 + 4) / 2, 12);
  });

  it('the relative effect divides by the wave’s before level: 2.875 ÷ mean(12, 12) months 0-1', () => {
    const before = cohortLevel(cells, 'early', 0, 2)!;
    expect(before.estimate).toBeCloseTo(12, 12);
    const rel = ratio(waveEffect(effects, cohorts[0]!, 12)!, before)!;
    expect(rel.estimate).toBeCloseTo(2.875 / 12, 12);
  });
});

describe('the two-way fixed-effects coefficient, shown beside the robust estimate only', () => {
  it('recovers a constant effect under parallel trends exactly (2 in every treated cell)', () => {
    const constant = cellsOf((u, t) => level[u]! + t + (effect(u, t) > 0 ? 2 : 0));
    expect(twoWayFixedEffects(constant, cohorts)!.estimate).toBeCloseTo(2, 10);
  });

  it('with effects that grow over time it misses the average effect the robust estimate recovers', () => {
    // no shock: every ATT(g, t) is the true effect, and the robust overall is its average
    const clean = cellsOf((u, t) => level[u]! + t + effect(u, t));
    const robust = groupTimeEffects(clean, cohorts, PRE);
    const overall = overallEffect(cohorts.slice(0, 2).map((c) => [c, waveEffect(robust, c, 12)!] as const))!;
    expect(overall.estimate).toBeCloseTo((3.5 + 1.5) / 2, 10);
    const twfe = twoWayFixedEffects(clean, cohorts)!;
    // early-treated cells serve as controls for the late wave, and their growing effect pulls β down
    expect(twfe.estimate).toBeLessThan(overall.estimate - 0.3);
    const twfeFromWeights = [...twfe.weights].reduce((s, [k, w]) => s + w * clean.find((c) => cellKey(c.cohort, c.month) === k)!.mean, 0);
    expect(twfeFromWeights).toBeCloseTo(twfe.estimate, 10);
  });
});
