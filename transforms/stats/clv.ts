/**
 * Customer lifetime value models (METRICS.md §3), fitted by maximum likelihood:
 * - BG/NBD (Fader, Hardie & Lee 2005): repeat purchases while alive follow a Poisson process
 *   with gamma(r, α) heterogeneous rates; after each purchase a customer drops out with a
 *   probability drawn from beta(a, b). Gives P(alive) and expected future purchases.
 * - Gamma-Gamma (Fader & Hardie 2013): spend per transaction, for customers with repeat
 *   purchases, with shape p and a gamma(q, γ) heterogeneous scale.
 * Inputs per customer: x = repeat purchases, tX = time of the last purchase and T = age, both
 * measured from the first purchase in the model's time unit; mean spend per repeat purchase.
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import numeric from 'numeric';

export interface RfmRecord {
  frequency: number;
  recency: number;
  T: number;
}

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

const logSumExp = (x: number, y: number) => {
  const m = Math.max(x, y);
  return m === -Infinity ? -Infinity : m + Math.log(Math.exp(x - m) + Math.exp(y - m));
};

/** Log-likelihood of one customer under BG/NBD (equation 6 of Fader, Hardie & Lee 2005). */
export function bgNbdLogLikelihood({ r, alpha, a, b }: BgNbdParams, { frequency: x, recency: tX, T }: RfmRecord): number {
  // x is a whole number of purchases, so the gamma-function ratios are finite products:
  // Γ(r+x)/Γ(r) = Π (r+k) and Γ(b+x)Γ(a+b)/(Γ(b)Γ(a+b+x)) = Π (b+k)/(a+b+k). Summing their logs
  // stays accurate where differences of lnΓ at huge arguments cancel catastrophically (and an
  // optimiser would happily exploit the error).
  let a1 = r * Math.log(alpha);
  let a2 = 0;
  for (let k = 0; k < x; k++) {
    a1 += Math.log(r + k);
    a2 += Math.log((b + k) / (a + b + k));
  }
  const a3 = -(r + x) * Math.log(alpha + T);
  const a4 = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tX) : -Infinity;
  return a1 + a2 + logSumExp(a3, a4);
}

/**
 * Maximum-likelihood fit. Parameters are optimised on the log scale (they must be positive)
 * with numeric's quasi-Newton minimiser (BFGS, finite-difference gradient).
 */
export function fitBgNbd(customers: readonly RfmRecord[]): { params: BgNbdParams; logLikelihood: number } {
  const toParams = ([lr, la, laa, lb]: number[]): BgNbdParams => ({ r: Math.exp(lr!), alpha: Math.exp(la!), a: Math.exp(laa!), b: Math.exp(lb!) });
  if (customers.some((c) => !Number.isInteger(c.frequency) || c.frequency < 0)) throw new Error('BG/NBD: frequency must be a whole number of repeat purchases');
  const negLL = (v: number[]) => {
    const p = toParams(v);
    let ll = 0;
    for (const c of customers) ll += bgNbdLogLikelihood(p, c);
    return Number.isFinite(ll) ? -ll : 1e300;
  };
  const best = minimise(negLL, [0, 0, 0, 0]);
  return { params: toParams(best.x), logLikelihood: -best.fx };
}

/** P(alive | x, t_x, T). */
export function probabilityAlive({ r, alpha, a, b }: BgNbdParams, { frequency: x, recency: tX, T }: RfmRecord): number {
  if (x === 0) return 1;
  const ratio = (a / (b + x - 1)) * ((alpha + T) / (alpha + tX)) ** (r + x);
  return 1 / (1 + ratio);
}

/** Expected repeat purchases in the next `t` time units (equation 10). */
export function expectedPurchases(p: BgNbdParams, c: RfmRecord, t: number): number {
  const { r, alpha, a, b } = p;
  const { frequency: x, recency: tX, T } = c;
  const z = t / (alpha + T + t);
  const hyp = hyp2f1(r + x, b + x, a + b + x - 1, z);
  const numerator = ((a + b + x - 1) / (a - 1)) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp);
  const denominator = 1 + (x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tX)) ** (r + x) : 0);
  return numerator / denominator;
}

/** Gauss hypergeometric 2F1(a, b; c; z) for 0 ≤ z < 1, by its power series. */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 100_000; n++) {
    term *= ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    sum += term;
    if (Math.abs(term) < 1e-14 * Math.abs(sum)) return sum;
  }
  return sum;
}

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** Log-likelihood of a customer's mean spend m̄ over x transactions (Fader & Hardie 2013). */
export function gammaGammaLogLikelihood({ p, q, gamma }: GammaGammaParams, x: number, meanSpend: number): number {
  return (
    gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * Math.log(gamma) + (p * x - 1) * Math.log(meanSpend) + p * x * Math.log(x) -
    (p * x + q) * Math.log(gamma + meanSpend * x)
  );
}

export function fitGammaGamma(customers: ReadonlyArray<{ frequency: number; meanSpend: number }>): { params: GammaGammaParams; logLikelihood: number } {
  const usable = customers.filter((c) => c.frequency > 0 && c.meanSpend > 0);
  const toParams = ([lp, lq, lg]: number[]): GammaGammaParams => ({ p: Math.exp(lp!), q: Math.exp(lq!), gamma: Math.exp(lg!) });
  const negLL = (v: number[]) => {
    const params = toParams(v);
    let ll = 0;
    for (const c of usable) ll += gammaGammaLogLikelihood(params, c.frequency, c.meanSpend);
    return Number.isFinite(ll) ? -ll : 1e300;
  };
  const best = minimise(negLL, [0, 0, 0]);
  return { params: toParams(best.x), logLikelihood: -best.fx };
}

/** E[spend per transaction | x, m̄] = (q − 1)/(p x + q − 1) · γ p/(q − 1) + p x/(p x + q − 1) · m̄. */
export function expectedSpend({ p, q, gamma }: GammaGammaParams, x: number, meanSpend: number): number {
  const population = (gamma * p) / (q - 1);
  const weight = (p * x) / (p * x + q - 1);
  return (1 - weight) * population + weight * meanSpend;
}

/**
 * Minimises f over log-parameters kept within e^±15, beyond which no fit is meaningful.
 * Quasi-Newton with a finite-difference gradient can stop early on a flat ridge, so it is
 * restarted from its own answer and from a few spread-out points, and the best answer wins.
 */
function minimise(f: (x: number[]) => number, start: number[]): { x: number[]; fx: number } {
  const bounded = (v: number[]) => (v.every((x) => Math.abs(x) <= 15) ? f(v) : 1e300);
  const run = (x0: number[]) => {
    const r = numeric.uncmin(bounded, x0, 1e-12, undefined, 5000);
    return { x: r.solution as number[], fx: r.f };
  };
  const starts = [start, start.map((v, i) => v + (i % 2 === 0 ? -1 : 1)), start.map((v, i) => v + (i % 2 === 0 ? 1 : -1)), start.map(() => -1), start.map(() => 1)];
  let best = { x: start, fx: bounded(start) };
  for (const x0 of starts) {
    let current = run(x0);
    for (let again = 0; again < 10; again++) {
      const next = run(current.x);
      if (next.fx > current.fx - 1e-9) break;
      current = next;
    }
    if (current.fx < best.fx) best = current;
  }
  return best;
}
