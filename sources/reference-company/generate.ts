/**
 * The reference company (METRICS.md §9): a deterministic, multi-year company with a CRM go-live
 * in the middle, a ramp-up, seasonality, a control region and planted effects of known size,
 * written as one file per source entity plus manifest.json. Same seed, same bytes. Activity is
 * streamed customer by customer, so large scales never sit in memory.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config/schema.ts';
import { parseConfig } from '../../config/load.ts';
import { entities } from '../catalog.ts';
import { Warehouse, literal } from '../../warehouse/warehouse.ts';
import { literalFilePattern } from '../load/files.ts';
import { ActivityGenerator } from './activity.ts';
import { iso, isoDate, seasonality, timeline } from './calendar.ts';
import { CsvWriter } from './csv-writer.ts';
import { buildCustomers, expectedCompletedOrders, type Customer } from './customers.ts';
import { writeDefects, type PlantedDefect } from './defects.ts';
import { repeatPurchaseMultiplier, type EffectsScenario } from './effects.ts';
export { EFFECTS_SCENARIOS, type EffectsScenario } from './effects.ts';
import { LegacyDraws } from './legacy-draws.ts';
import { writeLedger } from './ledger.ts';
import { ManifestSchema, plantedEffects, type Manifest } from './manifest.ts';
import { AgentPicker, buildRoster, writePeople } from './people.ts';
import { Random } from './random.ts';
import { agentFteNeeded, expectedHandleHours } from './staffing.ts';
import { writeTimesheets } from './timesheets.ts';
import { plantedWaves, rolloutManifest } from './rollout.ts';

export { ManifestSchema, type Manifest };

export interface GenerateOptions {
  outDir: string;
  /** number of customers; about 7-8 orders each over the four years */
  customers: number;
  seed: number;
  format?: 'csv' | 'parquet';
  config?: Config;
  /** per rollout wave, its effects as a multiple of the planted ones (default 1) */
  waveScales?: Record<string, number>;
  /** plant the few contract-breaking rows and duplicate keys (default true) */
  defects?: boolean;
  /**
   * 'planted' (default): the CRM effects of effects.ts; 'none': the null scenario, no CRM
   * effect at all and everything else the same, for checking that the case study finds nothing
   */
  effects?: EffectsScenario;
  onProgress?: (entity: string, rows: number) => void;
}

/** "5000", "50k", "1.5M" → customers */
export function parseScale(scale: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(scale);
  if (!match) throw new Error(`scale "${scale}": expected a number of customers such as 5000, 50k or 1M`);
  const value = Number(match[1]) * (match[2]!.toLowerCase() === 'k' ? 1e3 : match[2]!.toLowerCase() === 'm' ? 1e6 : 1);
  if (!Number.isInteger(value) || value < 50) throw new Error(`scale "${scale}": needs a whole number of at least 50 customers`);
  return value;
}

export async function generateCompany(options: GenerateOptions): Promise<Manifest> {
  const config = options.config ?? parseConfig({});
  const format = options.format ?? 'csv';
  const scenario = options.effects ?? 'planted';
  const t = timeline(config.crm_go_live, config.ramp_up_months);
  const random = new Random(options.seed);
  const control = config.control_group;

  const customers = buildCustomers(random, t, options.customers, plantedWaves(config, options.waveScales));
  // The service organisation has its own random stream: sizing it never redraws the activity,
  // which still makes the draws of the first, fixed-ratio roster (legacy-draws.ts).
  const legacy = new LegacyDraws(random, t, options.customers);
  const staff = new Random(options.seed + 0x5eed);
  const roster = buildRoster(staff, t, agentFteNeeded(expectedHandleHours(customers, t), t));
  // Purchase-intensity multiplier, calibrated on expected completed orders in the 12 months
  // before go-live (baseline) and, for treated customers, in the last 12 months (steady state).
  // The case study measures the last 12 months of its after period, with the default
  // configuration three months earlier (to 2025-03); the multiplier is the same there and the
  // planted change on those months is 15.0% too (14.99% at 5,000 customers, 15.04% at 50k).
  // Calibrating on those months instead would redraw every random number after the first order.
  const goLiveMonth = t.monthStarts.findIndex((m) => m >= t.goLive);
  const lastMonth = t.monthStarts.length - 1;
  const inWindow = (c: Customer, from: number, to: number) => expectedCompletedOrders(c, t, from, to);
  const repeat = repeatPurchaseMultiplier(
    customers.map((c) => inWindow(c, goLiveMonth - 12, goLiveMonth)).filter((mu) => mu > 0),
    customers.filter((c) => c.treated).map((c) => inWindow(c, lastMonth - 12, lastMonth)).filter((mu) => mu > 0),
  );

  const writers = Object.fromEntries(
    entities.map((e) => [`${e.source}.${e.entity}`, new CsvWriter(join(options.outDir, e.source, `${e.entity}.csv`), Object.keys(e.schema.shape))]),
  ) as Record<string, CsvWriter>;
  const w = (name: string) => writers[name]!;

  // customers, then a few re-delivered (updated) versions at the end of the file
  for (const c of customers) {
    await w('crm.customers').write([c.id, iso(c.createdAt), c.segment, c.region, c.gender, c.birthYear, c.channel, c.email, c.phone]);
  }
  const duplicates: Manifest['duplicates'] = [];
  if (options.defects !== false) {
    for (const c of [customers[1]!, customers[Math.floor(customers.length / 3)]!, customers[customers.length - 2]!]) {
      const segment = c.segment === 'vip' ? 'business' : 'vip';
      await w('crm.customers').write([c.id, iso(c.createdAt), segment, c.region, c.gender, c.birthYear, c.channel, c.email, c.phone]);
      duplicates.push({ entity: 'crm.customers', id: c.id, line: w('crm.customers').rows + 1, note: `updated segment ${c.segment} → ${segment}; this later row wins` });
    }
  }
  options.onProgress?.('crm.customers', w('crm.customers').rows);

  const agents = new AgentPicker(t, roster, staff, legacy);
  const activity = new ActivityGenerator(random, t, {
    orders: w('crm.orders'), tickets: w('crm.tickets'), ticketEvents: w('crm.ticket_events'), surveys: w('crm.surveys'),
    referrals: w('crm.referrals'), interactions: w('crm.interactions'),
  }, agents, customers, repeat.k, scenario === 'planted');
  let defects: PlantedDefect[] = [];
  for (const [i, c] of customers.entries()) {
    await activity.customer(c, i);
    if (i === Math.floor(customers.length / 2) && options.defects !== false) {
      defects = await writeDefects(writers, { customerId: c.id, agentId: agents.pick(t.goLive).id, at: iso(t.goLive + 86_400_000), later: iso(t.goLive + 2 * 86_400_000) });
    }
    if (i % 5000 === 0) options.onProgress?.('crm.orders', w('crm.orders').rows);
  }

  await writePeople(staff, t, roster, { employees: w('hr.employees'), training: w('hr.training'), engagement: w('hr.engagement_surveys') });
  const worked = await writeTimesheets(staff, t, roster, activity.totals.handleSeconds, w('hr.timesheets'));
  await writeLedger(random, t, roster, { ...activity.totals, worked }, options.customers / 5000, w('finance.gl_entries'), w('finance.budgets'));

  const rows: Record<string, number> = {};
  for (const [name, writer] of Object.entries(writers)) {
    await writer.close();
    rows[name] = writer.rows;
    options.onProgress?.(name, writer.rows);
  }
  if (format === 'parquet') await toParquet(options.outDir);

  const effects = plantedEffects(repeat, (k) => activeShare(customers, k), scenario === 'planted');
  const manifest: Manifest = {
    generator: 'crm-eval reference company',
    version: 1,
    seed: options.seed,
    customers: options.customers,
    format,
    period: { start: isoDate(t.start), end: isoDate(t.end) },
    go_live: config.crm_go_live,
    ramp_up_months: config.ramp_up_months,
    control_group: control,
    rows,
    effects_scenario: scenario,
    effects,
    rollout: rolloutManifest(config, customers, effects),
    defects,
    duplicates,
  };
  writeFileSync(join(options.outDir, 'manifest.json'), `${JSON.stringify(ManifestSchema.parse(manifest), null, 2)}\n`);
  return manifest;
}

/**
 * Expected share of customer-months with any activity (an order, a ticket or a touchpoint)
 * when purchase intensity is multiplied by k: 1 − P(none of them), averaged over the season.
 */
function activeShare(customers: readonly Customer[], k: number): number {
  let sum = 0;
  for (let month = 0; month < 12; month++) {
    const s = seasonality(Date.UTC(2001, month, 1));
    for (const c of customers) sum += 1 - Math.exp(-(c.orderRate * s * k + 0.07 * s + 0.6));
  }
  return sum / (12 * customers.length);
}

/** Rewrites every CSV as Parquet with DuckDB, keeping every value as the same text. */
async function toParquet(outDir: string): Promise<void> {
  const warehouse = await Warehouse.open(':memory:');
  try {
    for (const e of entities) {
      const csv = join(outDir, e.source, `${e.entity}.csv`);
      const parquet = join(outDir, e.source, `${e.entity}.parquet`);
      await warehouse.run(
        `COPY (SELECT * FROM read_csv(${literal(literalFilePattern(csv))}, all_varchar = true, header = true, delim = ',', quote = '"', escape = '"')) TO ${literal(`${parquet}.tmp`)} (FORMAT parquet)`,
      );
      renameSync(`${parquet}.tmp`, parquet);
      rmSync(csv);
    }
  } finally {
    warehouse.close();
  }
}
