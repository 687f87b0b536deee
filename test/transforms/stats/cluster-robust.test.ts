import { describe, expect, it } from 'vitest';
import { clusteredCompare, clusteredDifferenceInDifferences, cr1, type ClusteredPeriods } from '../../../transforms/stats/cluster-robust.ts';
import { summarise, welchCompare } from '../../../transforms/stats/welch.ts';

/** [customer, value] observations of each period → the cells and moments SQL computes (marts/_case-study.ts). */
function periods(before: Array<[string, number]>, after: Array<[string, number]>): ClusteredPeriods {
  const b = summarise(before.map(([, v]) => v));
  const a = summarise(after.map(([, v]) => v));
  const r = new Map<string, [number, number]>();
  for (const [c, v] of before) r.set(c, [(r.get(c)?.[0] ?? 0) + v - b.mean, r.get(c)?.[1] ?? 0]);
  for (const [c, v] of after) r.set(c, [r.get(c)?.[0] ?? 0, (r.get(c)?.[1] ?? 0) + v - a.mean]);
  const sums = [...r.values()].reduce((s, [rb, ra]) => ({ before: s.before + rb * rb, after: s.after + ra * ra, cross: s.cross + rb * ra }), { before: 0, after: 0, cross: 0 });
  return { before: b, after: a, clusters: { clusters: r.size, ...sums } };
}

let seed = 7;
const uniform = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());

describe('cluster-robust before/after', () => {
  it('is the sandwich variance of the after coefficient of y = α + β·after, clustered (CR1)', () => {
    const before: Array<[string, number]> = [['a', 3], ['a', 4], ['b', 1], ['c', 6], ['c', 5], ['c', 7]];
    const after: Array<[string, number]> = [['a', 6], ['b', 2], ['b', 4], ['d', 9], ['d', 8]];
    const c = clusteredCompare(periods(before, after))!;
    // the sandwich written out: X = [1, after], (X'X)⁻¹ Σ_g X_g' u_g u_g' X_g (X'X)⁻¹, its [1][1] entry
    const obs = [...before.map(([g, y]) => ({ g, y, x: 0 })), ...after.map(([g, y]) => ({ g, y, x: 1 }))];
    const [nb, na] = [before.length, after.length];
    const [mb, ma] = [before.reduce((s, [, y]) => s + y, 0) / nb, after.reduce((s, [, y]) => s + y, 0) / na];
    const inv = [[1 / nb, -1 / nb], [-1 / nb, 1 / nb + 1 / na]];
    const meat = [[0, 0], [0, 0]];
    for (const g of new Set(obs.map((o) => o.g))) {
      const score = [0, 0];
      for (const o of obs.filter((o) => o.g === g)) {
        const u = o.y - (o.x ? ma : mb);
        score[0] += u;
        score[1] += o.x * u;
      }
      for (const i of [0, 1]) for (const j of [0, 1]) meat[i]![j]! += score[i]! * score[j]!;
    }
    const row = [inv[1]![0]!, inv[1]![1]!];
    const variance = row[0] * (meat[0]![0]! * row[0] + meat[0]![1]! * row[1]) + row[1] * (meat[1]![0]! * row[0] + meat[1]![1]! * row[1]);
    expect(c.se ** 2).toBeCloseTo(cr1(4, 11, 2) * variance, 12);
    expect(c.absChange).toBeCloseTo(ma - mb, 12);
    expect(c.df).toBe(3);
  });

  it('is nearly Welch’s when every customer gives one observation in one period', () => {
    const before = Array.from({ length: 400 }, (_, i) => [`b${i}`, 5 + normal()] as [string, number]);
    const after = Array.from({ length: 300 }, (_, i) => [`a${i}`, 5.2 + 2 * normal()] as [string, number]);
    const p = periods(before, after);
    const c = clusteredCompare(p)!;
    const w = welchCompare(p.before, p.after)!;
    expect(c.se / w.se).toBeGreaterThan(0.995);
    expect(c.se / w.se).toBeLessThan(1.005);
  });

  it('keeps 95% coverage when a customer’s observations move together, where Welch’s falls far short', () => {
    // 150 customers a period, 1-8 observations each, sharing a customer effect of sd 1
    // (observation noise sd 1): no true change. Welch counts each observation as new
    // information; with a within-customer correlation of 0.5 its variance is about a third of the truth
    const covers = { clustered: 0, welch: 0 };
    const trials = 1000;
    for (let trial = 0; trial < trials; trial++) {
      const before: Array<[string, number]> = [];
      const after: Array<[string, number]> = [];
      for (let g = 0; g < 150; g++) {
        for (const [side, name] of [[before, 'b'], [after, 'a']] as const) {
          const effect = normal();
          const k = 1 + Math.floor(uniform() * 8);
          for (let i = 0; i < k; i++) side.push([`${name}${g}`, effect + normal()]);
        }
      }
      const p = periods(before, after);
      const c = clusteredCompare(p)!;
      const w = welchCompare(p.before, p.after)!;
      if (c.absLow <= 0 && c.absHigh >= 0) covers.clustered++;
      if (w.absLow <= 0 && w.absHigh >= 0) covers.welch++;
    }
    // binomial sd of a 95% coverage over 1,000 trials: 0.7 points; the bounds are ±3.5 sd
    expect(covers.clustered / trials).toBeGreaterThan(0.925);
    expect(covers.clustered / trials).toBeLessThan(0.975);
    expect(covers.welch / trials).toBeLessThan(0.85);
  });

  it('counts the positive before/after covariance of customers seen in both periods: a narrower interval than ignoring it', () => {
    const before: Array<[string, number]> = [];
    const after: Array<[string, number]> = [];
    for (let g = 0; g < 200; g++) {
      const effect = 3 * normal();
      before.push([`c${g}`, effect + normal()]);
      after.push([`c${g}`, effect + 0.3 + normal()]);
    }
    const p = periods(before, after);
    expect(p.clusters.cross).toBeGreaterThan(0);
    const independent = clusteredCompare({ ...p, clusters: { ...p.clusters, cross: 0 } })!;
    expect(clusteredCompare(p)!.se).toBeLessThan(independent.se / 2);
  });

  it('its interval and its verdict come from one test, with any covariance: they never disagree, and never go below −100%', () => {
    let disagreements = 0;
    for (let i = 0; i < 20_000; i++) {
      const n = () => 2 + Math.floor(uniform() ** 2 * 2000);
      const mean = () => (uniform() < 0.3 ? uniform() * 0.05 : uniform() * 10);
      const [nb, na] = [n(), n()];
      const [mb, ma] = [mean(), mean()];
      const [sb, sa] = [mb * (0.2 + uniform() * 3) * nb, ma * (0.2 + uniform() * 3) * na];
      // any correlation the Cauchy–Schwarz inequality allows, negative ones too
      const cross = (2 * uniform() - 1) * Math.sqrt(sb * sa);
      const clusters = 2 + Math.floor(uniform() * Math.min(nb, na));
      const p = { before: { n: nb, mean: mb, variance: sb / nb }, after: { n: na, mean: ma, variance: sa / na }, clusters: { clusters, before: sb, after: sa, cross } };
      const r = clusteredCompare(p, { nonNegative: true });
      if (!r || r.relLow === null) continue;
      const significant = r.pValue < 0.05;
      if (significant !== !(r.relLow <= 0 && r.relHigh! >= 0)) disagreements++;
      if (significant !== !(r.absLow <= 0 && r.absHigh >= 0)) disagreements++;
      expect(r.relLow).toBeGreaterThanOrEqual(-1);
      expect(r.relChange!).toBeGreaterThanOrEqual(r.relLow);
      expect(r.relChange!).toBeLessThanOrEqual(r.relHigh!);
    }
    expect(disagreements).toBe(0);
  });

  it('needs two observations a side and two customers', () => {
    expect(clusteredCompare(periods([['a', 1]], [['a', 2], ['b', 3]]))).toBeNull();
    expect(clusteredCompare(periods([['a', 1], ['a', 2]], [['a', 2], ['a', 3]]))).toBeNull();
  });
});

describe('cluster-robust difference-in-differences', () => {
  it('subtracts the control group’s change and adds the two groups’ variances', () => {
    const group = (prefix: string, lift: number) => {
      const before: Array<[string, number]> = [];
      const after: Array<[string, number]> = [];
      for (let g = 0; g < 300; g++) {
        const effect = normal();
        before.push([`${prefix}${g}`, 10 + effect + normal()], [`${prefix}${g}`, 10 + effect + normal()]);
        after.push([`${prefix}${g}`, 10 + lift + effect + normal()]);
      }
      return periods(before, after);
    };
    const treated = group('t', 2);
    const control = group('c', 0.5);
    const did = clusteredDifferenceInDifferences(treated, control)!;
    const [t, c] = [clusteredCompare(treated)!, clusteredCompare(control)!];
    expect(did.effect).toBeCloseTo(t.absChange - c.absChange, 12);
    // the same sums with CR1 over all 600 customers instead of each group's 300
    expect(did.se ** 2).toBeCloseTo((t.se ** 2 / cr1(300, 900, 2) + c.se ** 2 / cr1(300, 900, 2)) * cr1(600, 1800, 4), 10);
    expect(did.low).toBeLessThan(1.5);
    expect(did.high).toBeGreaterThan(1.5);
    expect(did.df).toBe(299);
    expect(did.pValue < 0.05).toBe(!(did.low <= 0 && did.high >= 0));
  });

  it('needs two customers in each group', () => {
    const two = periods([['a', 1], ['b', 2]], [['a', 2], ['b', 4]]);
    const one = periods([['c', 1], ['c', 2]], [['c', 2], ['c', 3]]);
    expect(clusteredDifferenceInDifferences(two, one)).toBeNull();
    expect(clusteredDifferenceInDifferences(two, two)).not.toBeNull();
  });
});
