/**
 * A staggered rollout for the reference company (`generate --rollout waves`): the CRM goes
 * live region by region, months apart, each wave with its own effect size, and the west never.
 * The manifest states the true effect per wave and the average effect on the treated, for the
 * KPIs whose mechanism is linear in the share of the effect in force (a wave at 1.25 × the
 * planted effects moves them by exactly 1.25 × as much); the repeat purchase and complaint
 * rates are calibrated on the single go-live and are left out.
 */
import { z } from 'zod';
import { rolloutWaves } from '../../config/rollout.ts';
import type { Config } from '../../config/schema.ts';
import type { Customer, PlantedWave } from './customers.ts';
import type { PlantedEffect } from './manifest.ts';

/** The waves of `--rollout waves`, inside the default 2021-07 … 2025-07 time line. */
export const REFERENCE_ROLLOUT = [
  { name: 'north', cut: 'region', values: ['north'], go_live: '2023-01-01' },
  { name: 'south', cut: 'region', values: ['south'], go_live: '2023-07-01' },
  { name: 'east', cut: 'region', values: ['east'], go_live: '2024-01-01' },
] as const;

/** Each wave’s effects as a multiple of the planted ones: allowed to differ per wave. */
export const REFERENCE_SCALES: Record<string, number> = { north: 1.25, south: 1, east: 0.75 };

/** KPIs whose planted change is proportional to the effect share (see effects.ts and activity.ts). */
const LINEAR_KPIS = ['csat', 'nps', 'ces_avg', 'complaint_first_response_hours', 'fcr', 'aht_minutes'];

export const RolloutManifestSchema = z.object({
  waves: z.array(z.object({
    name: z.string(),
    cut: z.string(),
    values: z.array(z.string()),
    go_live: z.iso.date(),
    ramp_up_months: z.int(),
    effect_scale: z.number().describe('multiple of the planted effects'),
    customers: z.int().describe('customers generated in the wave'),
    effects: z.array(z.object({ kpi: z.string(), effect: z.number() })).describe('true change after the ramp-up (relative, or points for NPS)'),
  })),
  att: z.array(z.object({ kpi: z.string(), effect: z.number() })).describe('average effect on the treated: the waves’ effects weighted by their customers'),
});
export type RolloutManifest = z.infer<typeof RolloutManifestSchema>;

/** The planted wave of each customer, from the configuration’s waves (the single go-live is one wave at scale 1). */
export function plantedWaves(config: Config, scales: Record<string, number> = {}): (c: Pick<Customer, 'region' | 'segment'>) => PlantedWave | null {
  const waves = rolloutWaves(config).map((w) => ({
    ...w,
    planted: { name: w.name, goLive: Date.parse(`${w.goLive}T00:00:00Z`), rampUpMonths: w.rampUpMonths, scale: scales[w.name] ?? 1 },
  }));
  return (c) => {
    for (const w of waves) {
      if (w.cut === null) return w.planted;
      const listed = w.values.includes(w.cut === 'region' ? c.region : c.segment);
      if (listed !== w.complement) return w.planted;
    }
    return null;
  };
}

/** The rollout section of the manifest: per wave the true effects, and their customer-weighted average. */
export function rolloutManifest(config: Config, customers: readonly Customer[], effects: readonly PlantedEffect[]): RolloutManifest | null {
  if (!config.rollout) return null;
  const linear = effects.filter((e) => LINEAR_KPIS.includes(e.kpi));
  const waves = config.rollout.map((w) => {
    const mine = customers.filter((c) => c.wave?.name === w.name);
    const scale = mine[0]?.wave?.scale ?? 1;
    return {
      name: w.name, cut: w.cut, values: w.values, go_live: w.go_live, ramp_up_months: w.ramp_up_months ?? config.ramp_up_months,
      effect_scale: scale, customers: mine.length, effects: linear.map((e) => ({ kpi: e.kpi, effect: e.effect * scale })),
    };
  });
  const treated = waves.reduce((s, w) => s + w.customers, 0);
  const att = linear.map((e) => ({ kpi: e.kpi, effect: waves.reduce((s, w) => s + (w.customers / treated) * w.effect_scale * e.effect, 0) }));
  return { waves, att };
}
