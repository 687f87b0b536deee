/**
 * Shared pieces of the marts: the month of an instant (every monthly mart attributes a ticket
 * to its created_at, a survey to its responded_at, an order to its ordered_at), the age band,
 * and whether a customer is in the CRM's reach or in the configured control group.
 */
import type { Config } from '../../config/schema.ts';
import { ident, literal } from '../../warehouse/warehouse.ts';

export const monthOf = (column: string) => `CAST(date_trunc('month', ${column}) AS DATE)`;

/** Age band at the time of the observation; 'unknown' without a birth year. */
export function ageBand(birthYear: string, at: string): string {
  const age = `(year(${at}) - ${birthYear})`;
  return `CASE WHEN ${birthYear} IS NULL THEN 'unknown' WHEN ${age} < 25 THEN '<25' WHEN ${age} < 35 THEN '25-34'
    WHEN ${age} < 45 THEN '35-44' WHEN ${age} < 55 THEN '45-54' WHEN ${age} < 65 THEN '55-64' ELSE '65+' END`;
}

/** SQL: true for a customer the CRM reaches (everyone when no control group is configured). */
export function isTreated(config: Config, customer = 'c'): string {
  const control = config.control_group;
  if (!control) return 'true';
  return `${customer}.${ident(control.cut)} NOT IN (${control.values.map(literal).join(', ')})`;
}

/** A count of completed orders in the last 12 months, as a band: none, 1, 2-3, 4+. */
export function purchaseBand(orders: string): string {
  return `CASE WHEN (${orders}) = 0 THEN 'none' WHEN (${orders}) = 1 THEN '1' WHEN (${orders}) <= 3 THEN '2-3' ELSE '4+' END`;
}

/** The segment cuts every monthly mart reports by, besides 'all' (METRICS.md §2). */
export const CUTS = ['segment', 'region', 'channel', 'age_band', 'gender', 'purchase_frequency'] as const;
