import { describe, expect, it } from 'vitest';
import { minimumDetectableEffect } from '../../../transforms/stats/power.ts';
import { welchCompare, type Summary } from '../../../transforms/stats/welch.ts';

describe('minimum detectable effect (80% power, α = 0.05, two-sided)', () => {
  it('is (z₀.₉₇₅ + z₀.₈₀) ≈ 2.80 standard errors when the degrees of freedom are large', () => {
    expect(minimumDetectableEffect(1, 1e6)).toBeCloseTo(1.96 + 0.8416, 3);
    expect(minimumDetectableEffect(0.5, 1e6)).toBeCloseTo(0.5 * 2.8016, 3);
  });

  it('is larger with few degrees of freedom (the t distribution’s heavier tails)', () => {
    expect(minimumDetectableEffect(1, 10)).toBeGreaterThan(minimumDetectableEffect(1, 1000));
  });

  it('is positive and shrinks as the samples grow (same variance, more data)', () => {
    const sample = (n: number, mean: number): Summary => ({ n, mean, variance: 0.24 });
    const mdes = [20, 80, 320, 1280].map((n) => {
      const c = welchCompare(sample(n, 0.6), sample(n, 0.62))!;
      return minimumDetectableEffect(c.se, c.df);
    });
    for (const m of mdes) expect(m).toBeGreaterThan(0);
    for (let i = 1; i < mdes.length; i++) expect(mdes[i]).toBeLessThan(mdes[i - 1]!);
    // four times the data, half the standard error: the MDE roughly halves
    expect(mdes[3]! / mdes[2]!).toBeCloseTo(0.5, 1);
  });

  it('is the effect a Welch test detects about 80% of the time', () => {
    // simulated: two samples of 200 normal values whose means differ by exactly the MDE
    let seed = 7;
    const uniform = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const normal = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
    const n = 200;
    const mde = minimumDetectableEffect(Math.sqrt(2 / n), 2 * n - 2);
    const summary = (shift: number): Summary => {
      const v = Array.from({ length: n }, () => normal() + shift);
      const mean = v.reduce((s, x) => s + x, 0) / n;
      return { n, mean, variance: v.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) };
    };
    let detected = 0;
    const trials = 1000;
    for (let r = 0; r < trials; r++) if (welchCompare(summary(0), summary(mde))!.pValue < 0.05) detected += 1;
    expect(detected / trials).toBeGreaterThan(0.75);
    expect(detected / trials).toBeLessThan(0.85);
  });
});
