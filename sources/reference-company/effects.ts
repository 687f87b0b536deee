/**
 * The CRM effects planted in the reference company, and the mechanism parameters behind them.
 * Each effect applies to treated customers (outside the control group) in proportion to
 * effectShare() (0 before go-live, ramping to 1). Mechanisms are chosen so that the KPI, as
 * METRICS.md defines it, moves by exactly the stated amount in expectation: rates are not
 * seasonal and have no trend, so a before/after comparison of treated customers recovers them.
 */

/** Pre-go-live parameters of the service process. */
export const BASE = {
  /** probability that a CSAT answer is 4 or 5 */
  csatTop2: 0.6,
  /** NPS answer shares */
  npsPromoters: 0.35,
  npsDetractors: 0.25,
  /** mean CES (1-7, lower is better) */
  cesMean: 3.8,
  /** share of resolved tickets resolved at first contact without reopening */
  fcr: 0.62,
  /** median first response hours by priority; complaints wait 1.5× longer */
  firstResponseMedianHours: { urgent: 0.5, high: 2, normal: 6, low: 16 } as Record<string, number>,
  complaintResponseFactor: 1.5,
  firstResponseSigma: 0.8,
  /** median working hours from first response to resolution by priority */
  workMedianHours: { urgent: 4, high: 12, normal: 30, low: 60 } as Record<string, number>,
  workSigma: 0.7,
  /** median agent handle time in seconds */
  handleMedianSeconds: 840,
  handleSigma: 0.5,
  /** complaint tickets per active customer-month */
  complaintShare: 0.14,
} as const;

/** Full-effect changes (relative unless noted). */
export const PLANTED = {
  csat: 0.28,
  nps: 14, // points
  ces: -0.15,
  firstResponseHours: -0.3,
  complaintFirstResponseHours: -0.4,
  workHours: -0.2,
  fcr: 0.1,
  handleSeconds: -0.15,
  complaintShare: -0.2,
  repeatPurchaseRate: 0.15,
} as const;

/** NPS shares at effect share e: promoters +8 points, detractors −6 points → NPS +14. */
export function npsShares(e: number): { promoters: number; detractors: number } {
  return { promoters: BASE.npsPromoters + 0.08 * e, detractors: BASE.npsDetractors - 0.06 * e };
}

/**
 * CES answers are a mix of a low-effort and a high-effort distribution over 1..7; the mixing
 * weight is solved so the mean is exactly the target.
 */
export const CES_LOW = [0.3, 0.35, 0.2, 0.1, 0.05, 0, 0] as const; // mean 2.25
export const CES_HIGH = [0, 0.05, 0.15, 0.3, 0.3, 0.15, 0.05] as const; // mean 4.5
const meanOf = (d: readonly number[]) => d.reduce((s, p, i) => s + p * (i + 1), 0);
export function cesLowWeight(targetMean: number): number {
  const low = meanOf(CES_LOW);
  const high = meanOf(CES_HIGH);
  return Math.min(1, Math.max(0, (high - targetMean) / (high - low)));
}

/**
 * The purchase-intensity multiplier for treated customers, calibrated on the KPI itself.
 * repeat_purchase_rate (≥ 2 completed orders in a trailing 12 months ÷ ≥ 1) of a customer whose
 * completed orders in the window are N ~ Poisson(μ) contributes P(N ≥ 2) to the numerator and
 * P(N ≥ 1) to the denominator, so over a population the expected KPI is
 * Σ P(N ≥ 2) / Σ P(N ≥ 1). Each μ already holds the customer's exposure in the window (joined
 * or churned part-way through it) and the season, so the figure is the one the mart measures,
 * not the one of an idealised always-present customer. The multiplier k on purchase intensity
 * is solved by bisection so that, over the treated customers of the last 12 months (the steady
 * state, after the ramp-up), the KPI with k is 15% above the KPI without it; `baseline` is
 * the expected KPI over the 12 months before go-live. `drift` is how far the KPI without k in
 * those last 12 months is from the baseline: the customer mix changes (a growing company has
 * more customers who joined part-way through the window), which a before/after comparison
 * cannot tell from the effect and difference-in-differences removes (under 1% of the rate at
 * the default settings, against a 95% interval of about ±4.5 points at 5,000 customers).
 */
export function repeatPurchaseMultiplier(preMeans: readonly number[], postMeans: readonly number[]): { k: number; baseline: number; drift: number } {
  const rate = (means: readonly number[], k: number) => {
    let atLeastTwo = 0;
    let atLeastOne = 0;
    for (const m of means) {
      const mu = m * k;
      const p0 = Math.exp(-mu);
      atLeastOne += 1 - p0;
      atLeastTwo += 1 - p0 - mu * p0;
    }
    return atLeastTwo / atLeastOne;
  };
  const target = rate(postMeans, 1) * (1 + PLANTED.repeatPurchaseRate);
  let low = 1;
  let high = 5;
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (rate(postMeans, mid) < target) low = mid;
    else high = mid;
  }
  return { k: (low + high) / 2, baseline: rate(preMeans, 1), drift: rate(postMeans, 1) / rate(preMeans, 1) - 1 };
}

/** Mean of a lognormal with this median: median · e^(σ²/2). */
export const lognormalMean = (median: number, sigma: number) => median * Math.exp((sigma * sigma) / 2);

/** planted: the CRM effects of known size (PLANTED); none: the null scenario, no CRM effect at all. */
export const EFFECTS_SCENARIOS = ['planted', 'none'] as const;
export type EffectsScenario = (typeof EFFECTS_SCENARIOS)[number];
