/**
 * Percentile bootstrap for a before/after change (METRICS.md §7): resample the units (customers
 * or tickets) of each period with replacement and recompute the statistic. Seeded, so the same
 * data gives the same interval on every run.
 */
import mt19937 from '@stdlib/random-base-mt19937';

export interface ChangeInterval {
  before: number;
  after: number;
  absChange: number;
  relChange: number | null;
  /** 95% interval of the absolute change */
  ciLow: number;
  ciHigh: number;
  /** two-sided bootstrap p-value for "no change" */
  pValue: number;
}

const mean = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
};

/**
 * Bootstrap of mean(after) − mean(before). `replicates` resamples (2,000 by default); the
 * p-value is twice the smaller tail share of the centred bootstrap distribution at zero.
 */
export function bootstrapMeanChange(before: ArrayLike<number>, after: ArrayLike<number>, options: { replicates?: number; seed?: number } = {}): ChangeInterval | null {
  if (before.length < 2 || after.length < 2) return null;
  const replicates = options.replicates ?? 2000;
  const rand = mt19937.factory({ seed: options.seed ?? 20231 });
  const draw = (n: number) => rand() % n;
  const b = mean(before);
  const a = mean(after);
  const changes = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    let sb = 0;
    for (let i = 0; i < before.length; i++) sb += before[draw(before.length)]!;
    let sa = 0;
    for (let i = 0; i < after.length; i++) sa += after[draw(after.length)]!;
    changes[r] = sa / after.length - sb / before.length;
  }
  changes.sort();
  const quantile = (q: number) => changes[Math.min(replicates - 1, Math.max(0, Math.round(q * (replicates - 1))))]!;
  const observed = a - b;
  // Centre the distribution on zero (the null) and ask how often it is as extreme as observed.
  let extreme = 0;
  for (const c of changes) if (Math.abs(c - observed) >= Math.abs(observed)) extreme += 1;
  return {
    before: b,
    after: a,
    absChange: observed,
    relChange: b === 0 ? null : observed / b,
    ciLow: quantile(0.025),
    ciHigh: quantile(0.975),
    pValue: Math.min(1, (extreme + 1) / (replicates + 1)),
  };
}
