import { describe, expect, it } from 'vitest';
import { linearTrend } from '../../../transforms/stats/ols.ts';

describe('linear trend of a monthly series', () => {
  it('recovers a slope with an interval around it', () => {
    const y = Array.from({ length: 18 }, (_, t) => 2 + 0.05 * t + 0.01 * Math.sin(3 * t));
    const fit = linearTrend(y)!;
    expect(fit.slope).toBeCloseTo(0.05, 2);
    expect(fit.low).toBeLessThan(0.05);
    expect(fit.high).toBeGreaterThan(0.05);
    expect(fit.pValue).toBeLessThan(0.001);
  });

  it('finds no trend in a flat noisy series', () => {
    const y = Array.from({ length: 18 }, (_, t) => 5 + 0.3 * Math.sin(2.1 * t));
    const fit = linearTrend(y)!;
    expect(fit.low).toBeLessThan(0);
    expect(fit.high).toBeGreaterThan(0);
  });

  it('skips months without data and needs three', () => {
    expect(linearTrend([1, NaN, 3, 4, 5])!.slope).toBeCloseTo(1, 6);
    expect(linearTrend([1, NaN, 3])).toBeNull();
  });

  it('widens its interval for a trailing-window series, whose months share data', () => {
    const y = Array.from({ length: 18 }, (_, t) => 0.7 + 0.002 * t + 0.01 * Math.sin(2.1 * t));
    const classical = linearTrend(y)!;
    const window = linearTrend(y, { windowMonths: 12 })!;
    expect(window.slope).toBeCloseTo(classical.slope, 10);
    expect(window.high - window.low).toBeGreaterThan(classical.high - classical.low);
  });
});
