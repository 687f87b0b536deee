/**
 * One seeded random stream for the whole company (Mersenne Twister), consumed in a fixed
 * order, so the same seed always gives the same bytes. The samplers are stdlib's, fed from
 * that one stream.
 */
import mt19937 from '@stdlib/random-base-mt19937';
import gammaSampler from '@stdlib/random-base-gamma';
import normalSampler from '@stdlib/random-base-normal';
import poissonSampler from '@stdlib/random-base-poisson';

export class Random {
  private readonly uniform01: () => number;
  private readonly normalDraw: (mu: number, sigma: number) => number;
  private readonly gammaDraw: (shape: number, rate: number) => number;
  private readonly poissonDraw: (lambda: number) => number;

  constructor(seed: number) {
    // `normalized` (uniform doubles in [0, 1)) exists at run time but not in stdlib's types.
    const prng = mt19937.factory({ seed: (seed >>> 0) || 1 }) as unknown as { normalized: () => number };
    this.uniform01 = prng.normalized;
    const options = { prng: prng.normalized };
    this.normalDraw = normalSampler.factory(options);
    this.gammaDraw = gammaSampler.factory(options);
    this.poissonDraw = poissonSampler.factory(options);
  }

  /** uniform in [0, 1) */
  next(): number {
    return this.uniform01();
  }

  between(low: number, high: number): number {
    return low + (high - low) * this.uniform01();
  }

  int(low: number, high: number): number {
    return Math.floor(this.between(low, high + 1));
  }

  chance(p: number): boolean {
    return this.uniform01() < p;
  }

  normal(mu: number, sigma: number): number {
    return this.normalDraw(mu, sigma);
  }

  /** lognormal with the given median: median · exp(σ·Z) */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(this.normalDraw(0, sigma));
  }

  gamma(shape: number, mean: number): number {
    return this.gammaDraw(shape, shape / mean);
  }

  poisson(lambda: number): number {
    return lambda <= 0 ? 0 : this.poissonDraw(lambda);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.uniform01() * items.length)]!;
  }

  /** picks a key with probability proportional to its weight */
  weighted<T extends string | number>(weights: ReadonlyArray<readonly [T, number]>): T {
    const total = weights.reduce((s, [, w]) => s + w, 0);
    let u = this.uniform01() * total;
    for (const [value, w] of weights) {
      u -= w;
      if (u < 0) return value;
    }
    return weights[weights.length - 1]![0];
  }
}
