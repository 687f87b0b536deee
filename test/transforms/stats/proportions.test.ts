import { describe, expect, it } from 'vitest';
import { npsInterval, wilson } from '../../../transforms/stats/proportions.ts';

describe('Wilson interval', () => {
  it('matches the textbook example: 81 of 263 gives 0.2553 to 0.3662', () => {
    // Wilson (1927) as tabulated by Newcombe (1998), example 81/263
    const ci = wilson(81, 263)!;
    expect(ci.low).toBeCloseTo(0.2553, 4);
    expect(ci.high).toBeCloseTo(0.3662, 4);
  });

  it('stays within 0..1 at the extremes', () => {
    expect(wilson(0, 10)).toEqual({ low: 0, high: expect.closeTo(0.2775, 4) });
    expect(wilson(10, 10)!.high).toBe(1);
    expect(wilson(0, 0)).toBeNull();
  });
});

describe('NPS interval', () => {
  it('is centred on promoters − detractors and uses the multinomial variance', () => {
    // 50 promoters, 20 detractors, 100 answers: NPS 30, SE = √(0.7 − 0.09)/√100 = 0.0781 → ±15.31 points
    const r = npsInterval(50, 20, 100)!;
    expect(r.nps).toBeCloseTo(30, 10);
    expect(r.high - r.nps).toBeCloseTo(1.959964 * Math.sqrt(0.61 / 100) * 100, 4);
  });

  it('is clipped to −100..100', () => {
    expect(npsInterval(10, 0, 10)).toEqual({ nps: 100, low: 100, high: 100 });
  });
});
