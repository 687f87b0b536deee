/**
 * The one configuration file (METRICS.md §1 "configuration"). Every field has a default that
 * matches the reference company, so `npm start` works with no file at all.
 */
import { z } from 'zod';
import { DEFAULT_BENCHMARKS } from './benchmarks.ts';
import { RolloutSchema } from './rollout.ts';
import { SourcesSchema } from './sources.ts';

const isoDate = z.iso.date();
const positive = z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' });
const byPriority = (defaults: Record<'urgent' | 'high' | 'normal' | 'low', number>) =>
  z
    .strictObject({ urgent: positive, high: positive, normal: positive, low: positive })
    .default(defaults);
const matrix = z.array(z.array(positive).min(1)).min(1);

export const KpiName = z.string().min(1);

/** The three sources of METRICS.md §1; a company without finance or HR data leaves them out. */
export const SOURCE_NAMES = ['crm', 'finance', 'hr'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

const sourcesProvided = z
  .array(z.enum(SOURCE_NAMES, { error: 'expected crm, finance or hr' }))
  // the evaluation is of the CRM: without its data no page has anything to say
  .refine((list) => list.includes('crm'), { error: 'crm must be provided: every mart starts from the CRM data' })
  .refine((list) => new Set(list).size === list.length, { error: 'each source once' })
  .default(['crm', 'finance', 'hr'])
  .describe('the sources this company delivers; one left out is not expected, its marts are empty and its pages say not provided');

const timeZone = z.string().refine(isTimeZone, { error: 'expected an IANA time zone, e.g. UTC or Asia/Shanghai' });

export const ConfigSchema = z.strictObject({
  crm_go_live: isoDate.default('2023-07-01').describe('the day the CRM went live'),
  ramp_up_months: z.int().min(0).max(24).default(3).describe('months after go-live excluded from the case study'),
  case_study: z
    .strictObject({
      pre_months: z.int().min(3).default(18),
      post_months: z.int().min(3).default(18),
    })
    .default({ pre_months: 18, post_months: 18 }),
  control_group: z
    .strictObject({
      cut: z.enum(['region', 'segment']),
      values: z.array(z.string().min(1)).min(1),
    })
    .nullable()
    .default({ cut: 'region', values: ['west'] })
    .describe('customers without the CRM, for difference-in-differences; null when there is none; not used when rollout waves are set'),
  rollout: RolloutSchema,
  sla: z
    .strictObject({
      first_response_hours: byPriority({ urgent: 1, high: 4, normal: 8, low: 24 }),
      resolution_hours: byPriority({ urgent: 8, high: 24, normal: 72, low: 120 }),
      hours: z.enum(['calendar', 'business']).default('calendar'),
    })
    .default({
      first_response_hours: { urgent: 1, high: 4, normal: 8, low: 24 },
      resolution_hours: { urgent: 8, high: 24, normal: 72, low: 120 },
      hours: 'calendar',
    }),
  calendar: z
    .strictObject({
      // checked here, or an unknown zone fails the marts with DuckDB's message
      time_zone: timeZone.default('UTC').describe('time zone of the working calendar (business hours)'),
      workdays: z.array(z.int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]).describe('ISO weekdays, Monday = 1'),
      start_hour: z.int().min(0).max(23).default(9),
      end_hour: z.int().min(1).max(24).default(18),
      holidays: z.array(isoDate).default([]),
    })
    .refine((c) => c.end_hour > c.start_hour, { message: 'end_hour must be after start_hour', path: ['end_hour'] })
    .default({ time_zone: 'UTC', workdays: [1, 2, 3, 4, 5], start_hour: 9, end_hour: 18, holidays: [] }),
  load: z
    .strictObject({
      future_tolerance_hours: z
        .number()
        .min(0)
        .max(8784, { error: 'expected at most 8784 hours (366 days)' })
        .default(24)
        .describe('a row dated more than this many hours after its delivery is quarantined (a ticket from 2099)'),
      max_quarantined_share: z
        .number()
        .min(0)
        .max(1)
        .default(0.5)
        .describe('an entity with more of its rows quarantined than this share, or all of them, fails its load; the previous data stays published'),
    })
    .default({ future_tolerance_hours: 24, max_quarantined_share: 0.5 }),
  margin_rate: z.number().min(0).max(1).default(0.35).describe('gross margin rate for orders without one'),
  loyalty_programme_accounts: z
    .array(z.string().min(1))
    .default(['6710'])
    .describe('ledger accounts of the loyalty programme, counted in the retention cost'),
  discount_rate: z.number().min(0).max(1).default(0.08).describe('annual rate for NPV'),
  horizon_months: z.int().min(1).max(240).default(36).describe('evaluation horizon from go-live'),
  churn_inactivity_days: z.int().positive().default(180),
  people_roles: z
    .array(z.enum(['agent', 'supervisor', 'manager', 'other']))
    .min(1)
    .default(['agent'])
    .describe('hr.employees roles people_monthly counts as the team (default the service agents)'),
  clv: z
    .strictObject({
      time_unit: z.enum(['days', 'weeks', 'months']).default('weeks').describe('time unit of the BG/NBD and Gamma-Gamma fit'),
      calibration_end: isoDate.nullable().default(null).describe('last day of the calibration period; default the last order day'),
      fit_sample: z.int().min(100).default(20000).describe('customers the models are fitted on (a deterministic sample); all are scored'),
    })
    .default({ time_unit: 'weeks', calibration_end: null, fit_sample: 20000 }),
  ahp: z
    .strictObject({
      criteria: z.strictObject({ items: z.array(z.string()).min(1), matrix }),
      kpis: z.record(z.string(), z.strictObject({ items: z.array(KpiName).min(1), matrix })),
    })
    .optional()
    .describe('pairwise comparisons (Saaty 1-9); defaults are set by the composite index'),
  kpi_targets: z
    .record(KpiName, z.strictObject({ baseline: z.number().optional(), target: z.number(), direction: z.enum(['higher', 'lower']).optional() }))
    .default({}),
  benchmarks: z
    .record(
      KpiName,
      z.strictObject({
        value: z.number(),
        source: z.string().min(1),
        currency: z.string().length(3).optional().describe('a money benchmark’s currency: left out where it is not the report’s'),
      }),
    )
    .default(DEFAULT_BENCHMARKS)
    .describe('industry or competitor value per KPI, in its unit, with its source; default: indicative published surveys (benchmarks.ts)'),
  currency: z.string().length(3).default('CNY'),
  language: z.enum(['en', 'zh']).default('en'),
  pii: z
    .strictObject({ salt: z.string().min(8).optional().describe('or CRM_EVAL_PII_SALT; else a random salt kept in the warehouse') })
    .default({}),
  schedule: z
    .strictObject({
      cron: z
        .string()
        .regex(/^\S+(\s+\S+){4}$/, { error: 'expected a cron expression with 5 fields, e.g. 0 2 * * *' })
        .default('0 2 * * *')
        .describe('when the nightly load starts (Temporal schedule)'),
      time_zone: timeZone.default('UTC'),
      catchup_window: z
        .string()
        .regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d|w|seconds?|minutes?|hours?|days?|weeks?)$/i, { error: "expected a duration, e.g. '1 day' or '6h'" })
        .default('1 day')
        .describe('how late a missed nightly run (server down) may still start'),
    })
    .default({ cron: '0 2 * * *', time_zone: 'UTC', catchup_window: '1 day' }),
  warehouse: z
    .strictObject({
      memory_limit: z
        .string()
        .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, { error: "expected a size such as '4GB' or '512MB' (KB, MB, GB, TB or KiB, MiB, GiB, TiB)" })
        .nullable()
        .default(null)
        .describe('how much memory DuckDB may use before it spills to temp_directory; null: DuckDB’s default, 80% of the RAM'),
      temp_directory: z
        .string()
        .min(1)
        .nullable()
        .default(null)
        .describe('where DuckDB spills what does not fit in memory_limit; null: <warehouse file>.tmp beside it'),
      threads: z.int().min(1).max(1024).nullable().default(null).describe('DuckDB worker threads; null: one per core'),
    })
    .default({ memory_limit: null, temp_directory: null, threads: null })
    .describe('the DuckDB engine of the working warehouse (a pipeline run or a worker’s activities)'),
  sources_provided: sourcesProvided,
  sources: SourcesSchema,
});

export type Config = z.infer<typeof ConfigSchema>;

/** Whether the company delivers `source` (crm, finance, hr); a configuration without the setting delivers all three. */
export function provides(config: Partial<Pick<Config, 'sources_provided'>>, source: string): boolean {
  return (config.sources_provided ?? SOURCE_NAMES).includes(source as SourceName);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
