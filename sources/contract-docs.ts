/**
 * The contracts as someone mapping their own exports reads them (`crm-eval contracts`): each
 * entity's columns with type, whether a value is required, allowed values and description, its
 * key, and the row rules. Read from the same zod schemas and the same JSON Schema export the
 * loader compiles its checks from (load/checks.ts), so the page cannot promise what a load
 * refuses.
 */
import { z } from 'zod';
import type { EntityContract } from './contract.ts';
import { tableName } from './contract.ts';
import { columnSpecs, SAFE, type JsonSchema } from './load/checks.ts';

export interface ColumnDoc {
  name: string;
  /** e.g. 'timestamp', 'integer', 'decimal(18,4)' */
  type: string;
  /** the warehouse type of the loaded column */
  sqlType: string;
  required: boolean;
  /** the enum's values, or null */
  allowed: string[] | null;
  /** bounds and lengths in words, e.g. '≥ 0', '1900 to 2100', 'not empty'; null when none */
  limits: string | null;
  description: string;
  /** personal data: kept in the raw layer only, hashed in staging */
  pii: boolean;
}

export interface ContractDoc {
  /** `crm.tickets` */
  entity: string;
  description: string;
  key: string[];
  optional: boolean;
  /** raw.<source>_<entity> */
  rawTable: string;
  columns: ColumnDoc[];
  /** rules across columns, as the quarantine reason of a row that breaks one: 'resolved_at is before created_at' */
  quarantinedWhen: string[];
}

export function entityName(contract: Pick<EntityContract, 'source' | 'entity'>): string {
  return `${contract.source}.${contract.entity}`;
}

export function describeContract(contract: EntityContract): ContractDoc {
  const properties = (z.toJSONSchema(contract.schema) as { properties: Record<string, JsonSchema> }).properties;
  const pii = new Set(contract.pii ?? []);
  const columns = columnSpecs(contract).map((spec): ColumnDoc => {
    const property = properties[spec.name]!;
    const base = property.anyOf?.find((v) => v.type !== 'null') ?? property;
    return {
      name: spec.name,
      type: typeName(spec.sqlType, base),
      sqlType: spec.sqlType,
      required: !spec.nullable,
      allowed: base.enum ? base.enum.map(String) : null,
      limits: limits(base),
      description: spec.description ?? '',
      pii: pii.has(spec.name),
    };
  });
  return {
    entity: entityName(contract),
    description: contract.description,
    key: [...contract.key],
    optional: contract.optional ?? false,
    rawTable: `raw.${tableName(contract)}`,
    columns,
    quarantinedWhen: (contract.rules ?? []).map((rule) => rule.message),
  };
}

/**
 * The entity's schema as JSON Schema (draft 2020-12), titled with its name and carrying its
 * key as `x-key`, for validating an export before it is delivered.
 */
export function contractJsonSchema(contract: EntityContract): Record<string, unknown> {
  // input mode leaves the object open: an extra column is kept in the raw layer and reported, never refused
  const { $schema, ...schema } = z.toJSONSchema(contract.schema, { io: 'input' }) as Record<string, unknown>;
  return { $schema, title: entityName(contract), description: contract.description, 'x-key': [...contract.key], ...schema };
}

function typeName(sqlType: string, base: JsonSchema): string {
  if (sqlType === 'TIMESTAMP') return 'timestamp';
  if (sqlType === 'DATE') return 'date';
  if (sqlType === 'BIGINT') return 'integer';
  if (sqlType === 'BOOLEAN') return 'true/false';
  if (sqlType === 'DOUBLE') return 'number';
  if (sqlType === 'VARCHAR') return base.kind === 'id' ? 'id' : 'text';
  return sqlType.toLowerCase(); // decimal(18,4)
}

function limits(base: JsonSchema): string | null {
  const low = base.minimum !== undefined && base.minimum > -SAFE ? `≥ ${base.minimum}` : base.exclusiveMinimum !== undefined ? `> ${base.exclusiveMinimum}` : null;
  const high = base.maximum !== undefined && base.maximum < SAFE ? `≤ ${base.maximum}` : base.exclusiveMaximum !== undefined ? `< ${base.exclusiveMaximum}` : null;
  const parts = low?.startsWith('≥') && high?.startsWith('≤') ? [`${base.minimum} to ${base.maximum}`] : [low, high].filter((p): p is string => p !== null);
  if (base.type === 'string' && !base.format && !base.enum) {
    if ((base.minLength ?? 0) >= 1) parts.push('not empty');
    if (base.maxLength !== undefined) parts.push(`at most ${base.maxLength} characters`);
  }
  return parts.length > 0 ? parts.join(', ') : null;
}
