/**
 * What every source entity declares: its zod schema (the contract), its key, and the rules that
 * compare fields of one row. The loader compiles the schema into SQL checks (see
 * `load/checks.ts`), so a row is validated in DuckDB at bulk speed against exactly this schema.
 */
import { z } from 'zod';

export type SourceName = 'crm' | 'finance' | 'hr';

/**
 * What a failed check does: `reject` quarantines the whole row; `null_field` keeps the row,
 * loads that field as NULL and records the delivered value in quarantine.<entity>_fields.
 * Defaults (see `severityOf`): a required field, a key and the watermark always reject; any
 * check on a nullable field (type, format, range, allowed values, a row rule naming it) nulls it.
 */
export type Severity = 'reject' | 'null_field';

/** A check across fields of one row, written in DuckDB SQL over the typed columns. */
export interface RowRule {
  /** the field named in the quarantine record */
  field: string;
  /** true for a valid row; NULLs in the compared fields pass (nullability is the schema's job) */
  sql: string;
  /** what a human reads, e.g. "resolved_at is before created_at" */
  message: string;
  /** overrides the severity of `field` for this rule (see `Severity`) */
  severity?: Severity;
}

export interface EntityContract<S extends z.ZodObject = z.ZodObject> {
  source: SourceName;
  entity: string;
  description: string;
  schema: S;
  /** columns that identify a record; staging keeps the latest loaded version per key */
  key: readonly string[];
  /**
   * Incremental loads: rows whose watermark is not after the newest one already loaded are
   * skipped (counted, not read). Only for entities whose rows never change once written.
   */
  watermark?: string;
  /** the entity may be absent from a delivery (METRICS.md marks it optional) */
  optional?: boolean;
  /** personal data: kept in raw only, hashed in staging, never in a mart */
  pii?: readonly string[];
  rules?: readonly RowRule[];
  /**
   * Timestamp and date columns that may lie after the delivery (a budget month, a planned
   * start). Every other one is quarantined when it is later than the load time plus the
   * configured tolerance (`load.future_tolerance_hours`).
   */
  mayBeFuture?: readonly string[];
  /**
   * Per field, where the default severity would be wrong: a nullable field whose NULL means
   * something (resolved_at empty = still open) must reject its row rather than be emptied.
   * `null_field` is refused on a required field, a key or the watermark.
   */
  severity?: Readonly<Record<string, Severity>>;
}

export function defineEntity<S extends z.ZodObject>(contract: EntityContract<S>): EntityContract<S> {
  const columns = Object.keys(contract.schema.shape);
  for (const name of [...contract.key, ...(contract.pii ?? []), ...(contract.watermark ? [contract.watermark] : []), ...(contract.mayBeFuture ?? [])]) {
    if (!columns.includes(name)) {
      throw new Error(`contract ${contract.source}.${contract.entity}: "${name}" is not a column of its schema`);
    }
  }
  for (const [name, severity] of Object.entries(contract.severity ?? {})) {
    if (!columns.includes(name)) throw new Error(`contract ${contract.source}.${contract.entity}: severity for "${name}", which is not a column of its schema`);
    if (severity === 'null_field') mayBeNulled(contract, name, 'its severity');
  }
  for (const rule of contract.rules ?? []) {
    if (rule.severity === 'null_field') mayBeNulled(contract, rule.field, `the rule "${rule.message}"`);
  }
  return contract;
}

function mayBeNulled(contract: EntityContract, name: string, what: string): void {
  const why = alwaysRejects(contract, name);
  if (why) throw new Error(`contract ${contract.source}.${contract.entity}: ${what} cannot be null_field: "${name}" ${why}`);
}

/** Why a bad value of `field` must cost its row, or null when it may be emptied instead. */
function alwaysRejects(contract: EntityContract, field: string): string | null {
  if (contract.key.includes(field)) return 'is part of the key';
  if (contract.watermark === field) return 'is the watermark';
  const type = (contract.schema.shape as Record<string, z.ZodType | undefined>)[field];
  if (!type?.safeParse(null).success) return 'is required (not nullable)';
  return null;
}

/** The severity of a failed check on `field`: a column check, or a row rule with its own `ruleSeverity`. */
export function severityOf(contract: EntityContract, field: string, ruleSeverity?: Severity): Severity {
  if (alwaysRejects(contract, field)) return 'reject';
  return ruleSeverity ?? contract.severity?.[field] ?? 'null_field';
}

/** `raw.crm_tickets`, `quarantine.crm_tickets`, ... */
export function tableName(contract: Pick<EntityContract, 'source' | 'entity'>): string {
  return `${contract.source}_${contract.entity}`;
}

/** Column types of the contracts; the loader maps each to a SQL type and check. */
export const col = {
  /** a key or a reference: no whitespace-only value, no control character */
  id: () => z.string().min(1).meta({ kind: 'id' }),
  text: () => z.string(),
  /** ISO 8601 timestamp with an offset or Z; stored as UTC */
  timestamp: () => z.iso.datetime({ offset: true }),
  date: () => z.iso.date(),
  /** a decimal amount in the company currency */
  money: () => z.number().meta({ sqlType: 'DECIMAL(18,4)' }),
  count: () => z.int().min(0),
  number: () => z.number(),
  flag: () => z.boolean(),
};

/** resolved_at ≥ created_at, and the like */
export function notBefore(later: string, earlier: string): RowRule {
  return { field: later, sql: `${later} >= ${earlier}`, message: `${later} is before ${earlier}` };
}

/** gross_margin ≤ amount, and the like */
export function notAbove(smaller: string, larger: string): RowRule {
  return { field: smaller, sql: `${smaller} <= ${larger}`, message: `${smaller} is greater than ${larger}` };
}
