/**
 * Discounted cash flow measures for the CRM investment (METRICS.md §5). Cash flows are per
 * period, the first at t = 0.
 */

/** Net present value at `rate` per period: Σ cf_t / (1 + rate)^t. */
export function npv(rate: number, cashFlows: readonly number[]): number {
  return cashFlows.reduce((sum, cf, t) => sum + cf / (1 + rate) ** t, 0);
}

/** Why there is no IRR (transforms/marts/_investment-notes.ts says it in words). */
export type NoIrr = { kind: 'no_sign_change' } | { kind: 'no_root' } | { kind: 'several_roots'; roots: number[]; signChanges: number };

export type IrrResult =
  | { irr: number; none: null }
  | { irr: null; none: NoIrr };

/**
 * Internal rate of return per period. An IRR exists only where NPV(rate) crosses zero; with no
 * sign change in the cash flows there is none, and with several sign changes there may be
 * several roots, none of which is "the" return. Both give `irr: null` and the reason (`none`),
 * never a misleading number. Roots are searched on (-99%, +1000%) per period.
 */
export function irr(cashFlows: readonly number[]): IrrResult {
  const signs = cashFlows.filter((cf) => cf !== 0).map(Math.sign);
  const changes = signs.slice(1).filter((s, i) => s !== signs[i]).length;
  if (changes === 0) return { irr: null, none: { kind: 'no_sign_change' } };

  const roots = findRoots((r) => npv(r, cashFlows), -0.99, 10);
  if (roots.length === 0) return { irr: null, none: { kind: 'no_root' } };
  if (roots.length > 1) return { irr: null, none: { kind: 'several_roots', roots, signChanges: changes } };
  return { irr: roots[0]!, none: null };
}

/** Roots of f on [low, high]: scan a fine log-spaced grid for sign changes, refine by bisection. */
function findRoots(f: (x: number) => number, low: number, high: number): number[] {
  const grid: number[] = [];
  // denser near zero, where business rates live
  for (let i = 0; i <= 4000; i++) grid.push(low + (high - low) * (i / 4000) ** 2);
  const roots: number[] = [];
  for (let i = 1; i < grid.length; i++) {
    let a = grid[i - 1]!;
    let b = grid[i]!;
    let fa = f(a);
    const fb = f(b);
    if (fa === 0) roots.push(a);
    if (Math.sign(fa) === Math.sign(fb) || fb === 0) continue;
    for (let k = 0; k < 200 && b - a > 1e-12; k++) {
      const m = (a + b) / 2;
      const fm = f(m);
      if (Math.sign(fm) === Math.sign(fa)) [a, fa] = [m, fm];
      else b = m;
    }
    roots.push((a + b) / 2);
  }
  return roots;
}

/** A monthly rate equivalent to an annual one under monthly compounding: (1 + a)^(1/12) − 1. */
export function monthlyRate(annual: number): number {
  return (1 + annual) ** (1 / 12) - 1;
}

/** Annualised from a monthly rate: (1 + m)^12 − 1. */
export function annualRate(monthly: number): number {
  return (1 + monthly) ** 12 - 1;
}

/**
 * Months until the cumulative cash flow turns non-negative and stays so, interpolated within
 * the month it crosses; null when it never pays back within the flows given.
 */
export function paybackMonths(cashFlows: readonly number[]): number | null {
  let cumulative = 0;
  let payback: number | null = null;
  cashFlows.forEach((cf, t) => {
    const before = cumulative;
    cumulative += cf;
    if (cumulative >= 0 && payback === null && before < 0) payback = t - 1 + -before / cf;
    if (cumulative < 0) payback = null; // fell back below zero: it had not paid back for good
  });
  if (cashFlows.length > 0 && cashFlows[0]! >= 0 && payback === null && cumulative >= 0) return 0;
  return payback;
}
