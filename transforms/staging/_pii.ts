/**
 * Personal data never leaves the raw layer in clear. Staging keeps a salted SHA-256 of each
 * normalised value, so records can still be matched (same email, same hash) but not read back.
 * The salt comes from CRM_EVAL_PII_SALT, else the configuration, else a random salt created once
 * per warehouse and kept in meta.settings (hashes then stay stable across runs).
 */
import { randomBytes } from 'node:crypto';
import { ident, literal, type Warehouse } from '../../warehouse/warehouse.ts';
import type { Config } from '../../config/schema.ts';

export async function resolvePiiSalt(warehouse: Warehouse, config: Config): Promise<string> {
  const configured = process.env.CRM_EVAL_PII_SALT ?? config.pii.salt;
  if (configured) return configured;
  await warehouse.run(`CREATE TABLE IF NOT EXISTS meta.settings (name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`);
  const existing = await warehouse.all<{ value: string }>(`SELECT value FROM meta.settings WHERE name = 'pii_salt'`);
  if (existing[0]) return existing[0].value;
  const salt = randomBytes(16).toString('hex');
  await warehouse.run(`INSERT INTO meta.settings VALUES ('pii_salt', $1)`, [salt]);
  return salt;
}

/** e.g. hashEmail('email', salt) → sha256(salt || lower(trim(email))) */
export function hashEmail(column: string, salt: string): string {
  return `CASE WHEN ${ident(column)} IS NOT NULL THEN sha256(${literal(salt)} || lower(trim(${ident(column)}))) END`;
}

/** Digits (and a leading +) only, so "+86 138-0000-0000" and "+8613800000000" match. */
export function hashPhone(column: string, salt: string): string {
  return `CASE WHEN ${ident(column)} IS NOT NULL THEN sha256(${literal(salt)} || regexp_replace(${ident(column)}, '[^0-9+]', '', 'g')) END`;
}
