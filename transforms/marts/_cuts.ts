/**
 * Shared pieces of the marts: the month of an instant (every monthly mart attributes a ticket
 * to its created_at, a survey to its responded_at, an order to its ordered_at), the age band,
 * and whether a customer is in the CRM's reach or in the configured control group.
 */
import { NEVER_TREATED, rolloutWaves, type Wave } from '../../config/rollout.ts';
import type { Config } from '../../config/schema.ts';
import { ident, literal } from '../../warehouse/warehouse.ts';

export const monthOf = (column: string) => `CAST(date_trunc('month', ${column}) AS DATE)`;

/** Age band at the time of the observation; 'unknown' without a birth year. */
export function ageBand(birthYear: string, at: string): string {
  const age = `(year(${at}) - ${birthYear})`;
  return `CASE WHEN ${birthYear} IS NULL THEN 'unknown' WHEN ${age} < 25 THEN '<25' WHEN ${age} < 35 THEN '25-34'
    WHEN ${age} < 45 THEN '35-44' WHEN ${age} < 55 THEN '45-54' WHEN ${age} < 65 THEN '55-64' ELSE '65+' END`;
}

/**
 * SQL: true for a customer the CRM reaches: one in a rollout wave, or with a single go-live
 * everyone outside the control group (everyone when none is configured).
 */
export function isTreated(config: Config, customer = 'c'): string {
  return rolloutWaves(config).map((w) => `(${inWave(w, customer)})`).join(' OR ');
}

/**
 * SQL: true for a customer of wave `w`. A customer without a value of the cut is outside the
 * control group (as before waves existed) but in no listed wave.
 */
export function inWave(w: Wave, customer = 'c'): string {
  if (w.cut === null) return 'true';
  const listed = `${customer}.${ident(w.cut)} IN (${w.values.map(literal).join(', ')})`;
  return w.complement ? `coalesce(NOT ${listed}, true)` : `coalesce(${listed}, false)`;
}

/** SQL: the name of the customer’s wave, or never_treated. */
export function waveOf(config: Config, customer = 'c'): string {
  const arms = rolloutWaves(config).map((w) => `WHEN ${inWave(w, customer)} THEN ${literal(w.name)}`);
  return `CASE ${arms.join(' ')} ELSE ${literal(NEVER_TREATED)} END`;
}

/** A count of completed orders in the last 12 months, as a band: none, 1, 2-3, 4+. */
export function purchaseBand(orders: string): string {
  return `CASE WHEN (${orders}) = 0 THEN 'none' WHEN (${orders}) = 1 THEN '1' WHEN (${orders}) <= 3 THEN '2-3' ELSE '4+' END`;
}

/** The segment cuts every monthly mart reports by, besides 'all' (METRICS.md §2). */
export const CUTS = ['segment', 'region', 'channel', 'age_band', 'gender', 'purchase_frequency'] as const;
