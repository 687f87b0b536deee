/**
 * Turns one row per observation into one row per (cut, cut_value): the 'all' cut plus one per
 * attribute, so every monthly mart reports the same segment cuts the same way
 * (cut = 'all', cut_value = 'all' for the whole company).
 */
import { ident, literal } from '../../warehouse/warehouse.ts';

/** UNION ALL of `source` once per cut; rows whose attribute is NULL are left out of that cut. */
export function byCut(source: string, columns: string, cuts: readonly string[]): string {
  return [
    `SELECT 'all' AS cut, 'all' AS cut_value, ${columns} FROM ${source}`,
    ...cuts.map((cut) => `SELECT ${literal(cut)} AS cut, CAST(${ident(cut)} AS VARCHAR) AS cut_value, ${columns} FROM ${source} WHERE ${ident(cut)} IS NOT NULL`),
  ].join('\nUNION ALL\n');
}
