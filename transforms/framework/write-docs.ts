/** `npm run docs`: rewrites transforms/MODELS.md from the model files and the KPI definitions. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KPIS } from '../marts/_kpis.ts';
import { discoverModels, orderModels, TRANSFORMS_DIR } from './discover.ts';
import { modelsMarkdown } from './docs.ts';

export const MODELS_DOC = join(TRANSFORMS_DIR, 'MODELS.md');

export async function modelsDocument(): Promise<string> {
  const kpis = [
    '## KPIs observed per unit',
    '',
    'Defined once in `transforms/marts/_kpis.ts`; `marts.kpi_observations` holds their observations, the monthly marts and the case study aggregate them.',
    '',
    '| kpi | label | change read as | better when | definition |',
    '|---|---|---|---|---|',
    ...KPIS.map((k) => `| ${k.kpi} | ${k.label} | ${k.unit} | ${k.direction === 'higher_is_better' ? 'higher' : 'lower'} | ${k.definition} |`),
    '',
  ];
  return `${modelsMarkdown(orderModels(await discoverModels()))}\n${kpis.join('\n')}`;
}

export function committedDocument(): string {
  return readFileSync(MODELS_DOC, 'utf8');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(MODELS_DOC, await modelsDocument());
  console.log(`wrote ${MODELS_DOC}`);
}
