/**
 * `crm-eval contracts [--entity crm.tickets] [--format markdown|json-schema]`: what each source
 * entity must look like, for whoever maps their own exports onto it. Markdown to read (or paste
 * into a wiki), JSON Schema to validate an export with any tool before delivering it.
 */
import { closest } from '../../config/did-you-mean.ts';
import { entities } from '../../sources/catalog.ts';
import type { EntityContract } from '../../sources/contract.ts';
import { contractJsonSchema, describeContract, entityName, type ContractDoc } from '../../sources/contract-docs.ts';

export type ContractsFormat = 'markdown' | 'json-schema';

/** The contracts asked for: all, or the one `entity` names (a usage error, exit 2, when none). */
export function selectContracts(entity?: string): EntityContract[] {
  if (entity === undefined) return [...entities];
  const found = entities.find((contract) => entityName(contract) === entity);
  if (found) return [found];
  const names = entities.map(entityName);
  const meant = closest(entity, names);
  const hint = meant ? ` (did you mean ${meant}?)` : '';
  throw Object.assign(new Error(`--entity ${entity}: no such entity${hint}; the entities are: ${names.join(', ')}`), { exitCode: 2 });
}

/** One entity as JSON Schema; several as an object of them keyed by entity name. */
export function contractsJsonSchema(contracts: readonly EntityContract[]): Record<string, unknown> {
  if (contracts.length === 1) return contractJsonSchema(contracts[0]!);
  return Object.fromEntries(contracts.map((contract) => [entityName(contract), contractJsonSchema(contract)]));
}

export function contractsMarkdown(contracts: readonly EntityContract[]): string {
  const intro = [
    '# Source contracts\n',
    'One file per entity, `<data>/<source>/<entity>.csv` (or `.parquet`, `.jsonl`). Timestamps are ISO 8601 with an',
    'offset or `Z`, dates `YYYY-MM-DD`, money a decimal in the company currency, true/false as `true` or `false`.',
    'A row that breaks its contract is quarantined with the reason, never dropped; unknown extra columns are kept and reported.',
  ];
  return [...(contracts.length > 1 ? [intro.join('\n')] : []), ...contracts.map((contract) => entityMarkdown(describeContract(contract)))].join('\n\n') + '\n';
}

function entityMarkdown(doc: ContractDoc): string {
  const [source, entity] = doc.entity.split('.');
  const personal = doc.columns.filter((c) => c.pii).map((c) => `\`${c.name}\``);
  const facts = [
    `${doc.description[0]!.toUpperCase()}${doc.description.slice(1)}.`,
    `Key: ${doc.key.map((k) => `\`${k}\``).join(', ')}.`,
    `File: \`${source}/${entity}.csv\`${doc.optional ? ' (optional: may be left out of a delivery)' : ''}.`,
    ...(personal.length > 0 ? [`Personal data: ${personal.join(', ')} (hashed in staging, never in a report).`] : []),
  ];
  const rows = doc.columns.map((c) => {
    const allowed = [c.allowed?.join(', '), c.limits].filter(Boolean).join('; ');
    return `| \`${c.name}\` | ${c.type} | ${c.required ? 'yes' : 'no (may be empty)'} | ${cell(allowed)} | ${cell(c.description)} |`;
  });
  const lines = [`## ${doc.entity}`, '', facts.join(' '), '', '| column | type | required | allowed values | description |', '|---|---|---|---|---|', ...rows];
  if (doc.quarantinedWhen.length > 0) lines.push('', `A row is quarantined when ${doc.quarantinedWhen.join('; or ')}.`);
  return lines.join('\n');
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function contractsCommand(flags: { entity?: string; format: ContractsFormat }): void {
  const contracts = selectContracts(flags.entity);
  const text = flags.format === 'json-schema' ? `${JSON.stringify(contractsJsonSchema(contracts), null, 2)}\n` : contractsMarkdown(contracts);
  process.stdout.write(text);
}
