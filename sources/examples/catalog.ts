/** The real data sets that `crm-eval run --example NAME` maps onto the contract. */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { cdnow } from './cdnow.ts';
import { crmApi } from './crm-api/crm-api.ts';
import { hr } from './hr.ts';
import { servicenow } from './servicenow.ts';
import { supportTickets } from './support-tickets.ts';
import { telco } from './telco.ts';
import { writeEmptyEntities, type Example } from './example.ts';

export const EXAMPLES: readonly Example[] = [cdnow, supportTickets, servicenow, telco, hr, crmApi];

/** ../shared/datasets from the project root, where tests and CI find the data sets. */
export const DATASETS_DIR = resolve('../shared/datasets');

export function findExample(name: string): Example {
  const example = EXAMPLES.find((e) => e.name === name);
  if (!example) throw new Error(`unknown example "${name}"; available: ${EXAMPLES.map((e) => e.name).join(', ')}`);
  return example;
}

/** Writes the mapped delivery into `out` (replacing what was there) and returns it. */
export async function prepareExample(example: Example, out: string, datasetsDir = DATASETS_DIR): Promise<string> {
  rmSync(out, { recursive: true, force: true });
  const warehouse = await Warehouse.open(':memory:');
  try {
    const written = await example.map(warehouse, join(datasetsDir, example.dataset), out);
    writeEmptyEntities(out, written);
  } finally {
    warehouse.close();
  }
  return out;
}
