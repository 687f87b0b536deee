/**
 * The model catalogue as Markdown, written from the models themselves (name, description,
 * grain, key, dependencies, and each column's type and description from its output contract),
 * so the documentation an analyst reads cannot drift from what the pipeline builds.
 */
import { z } from 'zod';
import type { Model } from './model.ts';
import { contractColumns } from './contract-tests.ts';

function typeOf(p: { type?: string | string[]; format?: string; enum?: unknown[]; minimum?: number; maximum?: number }): string {
  if (p.enum) return p.enum.map((v) => `\`${String(v)}\``).join(' / ');
  if (p.format === 'date-time') return 'timestamp (UTC)';
  if (p.format === 'date') return 'date';
  const type = Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type;
  const bounds = [p.minimum !== undefined && p.minimum > -Number.MAX_SAFE_INTEGER ? `≥ ${p.minimum}` : '', p.maximum !== undefined && p.maximum < Number.MAX_SAFE_INTEGER ? `≤ ${p.maximum}` : '']
    .filter(Boolean)
    .join(', ');
  return `${type ?? 'any'}${bounds ? ` (${bounds})` : ''}`;
}

export function modelsMarkdown(models: readonly Model[]): string {
  const lines = [
    '# Models',
    '',
    'Generated from the model files by `npm run docs`; do not edit by hand. Rates are fractions 0..1,',
    'NPS is in points (−100..100), durations in hours unless the name says otherwise; segment cuts are',
    "stored as (cut, cut_value) with cut = 'all' for the whole company.",
    '',
  ];
  for (const layer of ['marts', 'staging']) {
    lines.push(`## ${layer}`, '');
    for (const m of models.filter((x) => x.name.startsWith(`${layer}.`))) {
      const schema = z.toJSONSchema(m.contract, { unrepresentable: 'any' }) as { properties: Record<string, { description?: string }> };
      lines.push(`### ${m.name}`, '', m.description, '', `- grain: ${m.grain}`, `- key: ${m.key.join(', ')}`, `- reads: ${m.dependsOn.join(', ')}`, '');
      lines.push('| column | type | nullable | meaning |', '|---|---|---|---|');
      for (const c of contractColumns(m.contract)) {
        const described = schema.properties[c.name]?.description ?? (c.property as { description?: string }).description ?? '';
        lines.push(`| ${c.name} | ${typeOf(c.property)} | ${c.nullable ? 'yes' : 'no'} | ${described.replaceAll('|', '\\|')} |`);
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}
