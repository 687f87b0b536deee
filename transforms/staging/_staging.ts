/**
 * What every staging model does to its raw table: keep the contract's columns (typed by the
 * load), drop personal data, and keep only the latest version of each key. "Latest" is the most
 * recent load, and within one file the later row, as a re-delivered record supersedes the old.
 */
import { z } from 'zod';
import type { EntityContract } from '../../sources/contract.ts';
import { tableName } from '../../sources/contract.ts';
import { ident } from '../../warehouse/warehouse.ts';

export const rawTable = (contract: EntityContract) => `raw.${tableName(contract)}`;

/** The staging output contract: the source contract without its PII columns, plus lineage. */
export function stagingContract(contract: EntityContract, extra: z.ZodRawShape = {}): z.ZodObject {
  const omit = Object.fromEntries((contract.pii ?? []).map((c) => [c, true])) as Record<string, true>;
  return contract.schema.omit(omit).extend({
    ...extra,
    load_id: z.string().describe('the load that delivered this version of the row'),
  });
}

/**
 * SELECT of the latest version per key; `derived` adds computed columns (e.g. hashes).
 * Most keys have one version, so only the keys that occur more than once go through the
 * (sorting) window; the rest pass straight through. At a million rows this halves the cost.
 */
export function latestVersion(contract: EntityContract, derived: readonly string[] = []): string {
  const pii = new Set(contract.pii ?? []);
  const columns = Object.keys(contract.schema.shape)
    .filter((c) => !pii.has(c))
    .map(ident);
  const select = [...columns, ...derived, 'load_id'].join(', ');
  const key = contract.key.map(ident).join(', ');
  const raw = rawTable(contract);
  return `WITH versioned AS (SELECT ${key} FROM ${raw} GROUP BY ${key} HAVING count(*) > 1)
    SELECT ${select} FROM ${raw} ANTI JOIN versioned USING (${key})
    UNION ALL
    SELECT ${select} FROM (
      SELECT * FROM ${raw} SEMI JOIN versioned USING (${key})
      QUALIFY row_number() OVER (PARTITION BY ${key} ORDER BY loaded_at DESC, load_id DESC, source_row DESC) = 1)`;
}
