/**
 * Rollout waves (METRICS.md §1: the control group may be "rollout waves"): a CRM switched on
 * region by region or segment by segment, each wave a set of values of one cut and its go-live.
 * Customers in no wave are the never-treated. Without `rollout` the single `crm_go_live` is the
 * one wave: every customer outside the control group, from that day.
 */
import { z } from 'zod';
import type { Config } from './schema.ts';

/** The cohort name of customers no wave reaches. */
export const NEVER_TREATED = 'never_treated';
/** The name of the waves’ aggregate in the case study. */
export const OVERALL = 'overall';

const WaveSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, { error: 'expected a short snake_case name, e.g. wave_1 or north' })
    .refine((name) => name !== NEVER_TREATED, { error: `${NEVER_TREATED} names the customers no wave reaches` })
    .refine((name) => name !== OVERALL, { error: `${OVERALL} names the average over the waves` }),
  cut: z.enum(['region', 'segment']),
  values: z.array(z.string().min(1)).min(1),
  go_live: z.iso.date().describe('the day the CRM went live for this wave'),
  ramp_up_months: z.int().min(0).max(24).optional().describe('months after go-live its averages leave out; default ramp_up_months'),
});

export const RolloutSchema = z
  .array(WaveSchema)
  .min(1)
  .superRefine((waves, ctx) => {
    waves.forEach((wave, i) => {
      const earlier = waves.slice(0, i);
      const twin = earlier.find((w) => w.name === wave.name);
      if (twin) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `wave ${wave.name}: the name is used by an earlier wave` });
      for (const other of earlier.filter((w) => w.cut === wave.cut)) {
        const shared = wave.values.filter((v) => other.values.includes(v));
        if (shared.length > 0) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'values'],
            message: `wave ${wave.name} overlaps wave ${other.name}: both list ${wave.cut} = ${shared.join(', ')}; a customer goes live once`,
          });
        }
      }
    });
  })
  .nullable()
  .default(null)
  .describe('waves of a staggered go-live, each a set of region or segment values and its go-live; customers in none are never treated. Null: one go-live (crm_go_live) for everyone outside the control group');

export interface Wave {
  name: string;
  goLive: string;
  rampUpMonths: number;
  /** the cut the wave is defined on; null: every customer */
  cut: 'region' | 'segment' | null;
  values: string[];
  /** true when the wave is every customer whose cut value is NOT listed (the control group’s complement) */
  complement: boolean;
}

/** The waves of the configuration; the single go-live is one wave. */
export function rolloutWaves(config: Pick<Config, 'rollout' | 'crm_go_live' | 'ramp_up_months' | 'control_group'>): Wave[] {
  if (config.rollout) {
    return config.rollout.map((w) => ({
      name: w.name, goLive: w.go_live, rampUpMonths: w.ramp_up_months ?? config.ramp_up_months, cut: w.cut, values: w.values, complement: false,
    }));
  }
  const control = config.control_group;
  return [{
    name: 'all', goLive: config.crm_go_live, rampUpMonths: config.ramp_up_months,
    cut: control?.cut ?? null, values: control?.values ?? [], complement: true,
  }];
}
