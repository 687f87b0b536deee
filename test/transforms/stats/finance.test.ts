import { describe, expect, it } from 'vitest';
import { annualRate, irr, monthlyRate, npv, paybackMonths } from '../../../transforms/stats/finance.ts';

describe('NPV and IRR (reference values from ../shared/datasets/README.md and METRICS.md §5)', () => {
  it('IRR of [−100, 39, 59, 55, 20] is 28.095% per period', () => {
    const result = irr([-100, 39, 59, 55, 20]);
    expect(result.none).toBeNull();
    expect(result.irr).toBeCloseTo(0.28095, 5);
  });

  it('NPV of [−100, 39, 59, 55, 20] at 28.1% is about −0.0085', () => {
    expect(npv(0.281, [-100, 39, 59, 55, 20])).toBeCloseTo(-0.0085, 4);
  });

  it('NPV at 8% of [−40000, 5000, 8000, 12000, 30000], first flow at t = 0, is 3065.22', () => {
    expect(npv(0.08, [-40000, 5000, 8000, 12000, 30000])).toBeCloseTo(3065.22, 2);
  });

  it('no sign change: no IRR, and the reason', () => {
    expect(irr([-100, -5, -5])).toEqual({ irr: null, none: { kind: 'no_sign_change' } });
    expect(irr([10, 20])).toEqual({ irr: null, none: { kind: 'no_sign_change' } });
  });

  it('several roots: no single IRR, the roots are listed', () => {
    // −100 + 230/(1+r) − 132/(1+r)² has roots at r = 10% and r = 20%
    const result = irr([-100, 230, -132]);
    expect(result.irr).toBeNull();
    expect(result.none).toMatchObject({ kind: 'several_roots', signChanges: 2 });
    if (result.none?.kind !== 'several_roots') throw new Error('expected several roots');
    expect(result.none.roots[0]).toBeCloseTo(0.1, 6);
    expect(result.none.roots[1]).toBeCloseTo(0.2, 6);
  });

  it('converts annual and monthly rates under monthly compounding', () => {
    expect(annualRate(monthlyRate(0.08))).toBeCloseTo(0.08, 12);
    expect(monthlyRate(0.1268250301)).toBeCloseTo(0.01, 8);
  });

  it('payback is interpolated in the month the cumulative flow turns positive for good', () => {
    expect(paybackMonths([-100, 50, 50, 50])).toBe(2);
    expect(paybackMonths([-100, 40, 40, 40])).toBeCloseTo(2.5, 10);
    expect(paybackMonths([-100, 150, -100, 20])).toBeNull(); // dipped below zero again and stayed
    expect(paybackMonths([-100, 10])).toBeNull();
  });
});
