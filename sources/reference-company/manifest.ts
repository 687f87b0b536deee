/**
 * What the generator planted, written next to the data as manifest.json: the go-live, the
 * control group, the true effect per KPI (the answer the case study must recover), the rows
 * written and the planted data defects.
 */
import { z } from 'zod';
import { BASE, EFFECTS_SCENARIOS, PLANTED, lognormalMean } from './effects.ts';
import { RolloutManifestSchema } from './rollout.ts';

export const EffectSchema = z.object({
  kpi: z.string().describe('METRICS.md name'),
  effect: z.number().describe('true change at full effect: a fraction (relative) or points'),
  unit: z.enum(['relative', 'points']),
  direction: z.enum(['higher_is_better', 'lower_is_better']),
  applies_to: z.string(),
  baseline: z.number().nullable().describe('expected pre-go-live value, where the mechanism fixes it'),
  mechanism: z.string(),
});

export const ManifestSchema = z.object({
  generator: z.literal('crm-eval reference company'),
  version: z.literal(1),
  seed: z.int(),
  customers: z.int().positive(),
  format: z.enum(['csv', 'parquet']),
  period: z.object({ start: z.iso.date(), end: z.iso.date().describe('exclusive') }),
  go_live: z.iso.date(),
  ramp_up_months: z.int(),
  control_group: z.object({ cut: z.enum(['region', 'segment']), values: z.array(z.string()) }).nullable(),
  rollout: RolloutManifestSchema.nullable().describe('the staggered rollout, when waves were configured: true effects per wave and on average'),
  rows: z.record(z.string(), z.int()),
  effects_scenario: z.enum(EFFECTS_SCENARIOS).default('planted').describe('none: the null scenario, every true effect is 0'),
  effects: z.array(EffectSchema),
  defects: z.array(z.object({ entity: z.string(), id: z.string(), line: z.int(), field: z.string(), kind: z.string() })),
  duplicates: z.array(z.object({ entity: z.string(), id: z.string(), line: z.int(), note: z.string() })),
});
export type Manifest = z.infer<typeof ManifestSchema>;
export type PlantedEffect = z.infer<typeof EffectSchema>;

const PRIORITY_SHARE: Record<string, number> = { urgent: 0.05, high: 0.15, normal: 0.6, low: 0.2 };

/**
 * The planted effects in the terms of METRICS.md. `activeShare(k)` is the expected share of
 * customer-months in which a customer is active when purchase intensity is multiplied by k
 * (complaint_rate divides by active customers, which the purchase effect also moves). With
 * `planted` false (the null scenario) every KPI is listed with a true effect of 0.
 */
export function plantedEffects(repeat: { k: number; baseline: number; drift: number }, activeShare: (k: number) => number, planted = true): PlantedEffect[] {
  const effects = withEffects(repeat, activeShare);
  if (planted) return effects;
  const mechanism = 'none planted (generated with --effects none): every customer keeps the pre-go-live parameters';
  return effects.map((e) => ({ ...e, effect: 0, mechanism }));
}

function withEffects(repeat: { k: number; baseline: number; drift: number }, activeShare: (k: number) => number): PlantedEffect[] {
  const treated = 'customers outside the control group, from go-live (ramping up over the ramp-up months)';
  const K = Math.exp(BASE.firstResponseSigma ** 2 / 2);
  const c0 = BASE.complaintShare;
  const c1 = c0 * (1 + PLANTED.complaintShare);
  const frt = (c: number, nonComplaint: number, complaint: number) =>
    Object.entries(PRIORITY_SHARE).reduce(
      (s, [p, share]) => s + share * BASE.firstResponseMedianHours[p]! * K * ((1 - c) * nonComplaint + c * BASE.complaintResponseFactor * complaint),
      0,
    );
  const frtBefore = frt(c0, 1, 1);
  const frtAfter = frt(c1, 1 + PLANTED.firstResponseHours, 1 + PLANTED.complaintFirstResponseHours);
  const complaintFrtBefore = Object.entries(PRIORITY_SHARE).reduce((s, [p, share]) => s + share * BASE.firstResponseMedianHours[p]! * K * BASE.complaintResponseFactor, 0);
  const work = Object.entries(PRIORITY_SHARE).reduce((s, [p, share]) => s + share * lognormalMean(BASE.workMedianHours[p]!, BASE.workSigma), 0);
  const resolutionBefore = frtBefore + work;
  const resolutionAfter = frtAfter + work * (1 + PLANTED.workHours);
  const complaintRate = ((1 + PLANTED.complaintShare) * activeShare(1)) / activeShare(repeat.k) - 1;

  const higher = 'higher_is_better' as const;
  const lower = 'lower_is_better' as const;
  return [
    { kpi: 'csat', effect: PLANTED.csat, unit: 'relative', direction: higher, applies_to: treated, baseline: BASE.csatTop2, mechanism: 'probability that a CSAT answer is 4 or 5 × (1 + 0.28)' },
    { kpi: 'nps', effect: PLANTED.nps, unit: 'points', direction: higher, applies_to: treated, baseline: (BASE.npsPromoters - BASE.npsDetractors) * 100, mechanism: 'promoter share +8 points, detractor share −6 points' },
    { kpi: 'ces_avg', effect: PLANTED.ces, unit: 'relative', direction: lower, applies_to: treated, baseline: BASE.cesMean, mechanism: 'mix of a low- and a high-effort answer distribution solved for mean × (1 − 0.15)' },
    { kpi: 'repeat_purchase_rate', effect: PLANTED.repeatPurchaseRate, unit: 'relative', direction: higher, applies_to: treated, baseline: repeat.baseline, mechanism: `purchase intensity × ${repeat.k.toFixed(4)}, solved so that the expected Σ P(N ≥ 2) / Σ P(N ≥ 1) of treated customers' completed orders in the last 12 months (with their exposure and the season) rises 15%; baseline over the 12 months before go-live. Without the effect the rate of those months would be ${(repeat.drift * 100).toFixed(1)}% off the baseline (the customer mix changes), which a before/after comparison counts as effect and difference-in-differences removes` },
    { kpi: 'first_response_hours', effect: frtAfter / frtBefore - 1, unit: 'relative', direction: lower, applies_to: treated, baseline: frtBefore, mechanism: 'mean over all tickets: lognormal response time with median × 0.7 (complaints × 0.6), with fewer complaints in the mix' },
    { kpi: 'complaint_first_response_hours', effect: PLANTED.complaintFirstResponseHours, unit: 'relative', direction: lower, applies_to: treated, baseline: complaintFrtBefore, mechanism: 'mean first_response_hours of is_complaint tickets: lognormal median × (1 − 0.40)' },
    { kpi: 'resolution_hours', effect: resolutionAfter / resolutionBefore - 1, unit: 'relative', direction: lower, applies_to: treated, baseline: resolutionBefore, mechanism: 'mean of first response + work time; work time median × (1 − 0.20)' },
    { kpi: 'fcr', effect: PLANTED.fcr, unit: 'relative', direction: higher, applies_to: treated, baseline: BASE.fcr, mechanism: 'probability of contacts = 1 and reopened = 0 × (1 + 0.10), independent of resolution' },
    { kpi: 'aht_minutes', effect: PLANTED.handleSeconds, unit: 'relative', direction: lower, applies_to: treated, baseline: lognormalMean(BASE.handleMedianSeconds, BASE.handleSigma) / 60, mechanism: 'lognormal handle_seconds with median × (1 − 0.15)' },
    { kpi: 'complaint_rate', effect: complaintRate, unit: 'relative', direction: lower, applies_to: treated, baseline: null, mechanism: 'complaint share of tickets × (1 − 0.20), divided by active customers, who rise with the purchase effect' },
  ];
}
