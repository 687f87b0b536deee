/**
 * What the HTTP source tests share: the emulator over the reference company's files, the
 * presets configured against it, and extracts run as a run runs them (extractEntity).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { parseConfig } from '../../../../config/load.ts';
import { findEntity } from '../../../../sources/catalog.ts';
import { loadEntity } from '../../../../sources/load/load-entity.ts';
import { latestVersion } from '../../../../transforms/staging/_staging.ts';
import { createActivities, type ExtractOutput } from '../../../../workflows/activities.ts';
import { Warehouse } from '../../../../warehouse/warehouse.ts';
import { tempDir } from '../../../fixtures/csv.ts';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../../sources/examples/crm-api/emulator.ts';
import { rawChecksum, referenceFiles } from '../../../fixtures/reference-files.ts';

export const TOKEN = 'zd-planted-token-7f3a9c';

export interface ApiFixture {
  /** the reference company's files (500 customers, clean) */
  dataDir: string;
  /** the emulator serving them; its faults are cleared before each test */
  api: Emulator;
}

/** The company and the emulator over it, for the tests of one file. */
export function emulatorFixture(options: Partial<EmulatorOptions> = {}): ApiFixture {
  const fixture = {} as ApiFixture;
  beforeAll(async () => {
    fixture.dataDir = await referenceFiles();
    fixture.api = await startEmulator({ dataDir: fixture.dataDir, token: TOKEN, ...options });
  });
  afterAll(async () => {
    await fixture.api?.close();
  });
  beforeEach(() => {
    for (const key of Object.keys(fixture.api.faults)) delete fixture.api.faults[key as keyof Emulator['faults']];
  });
  return fixture;
}

/** Where each entity is in the emulator, under the two presets. */
export const ENTITIES = {
  'crm.tickets': { preset: 'zendesk-support', file: 'crm/tickets.csv' },
  'crm.surveys': { preset: 'zendesk-support', file: 'crm/surveys.csv' },
  'crm.customers': { preset: 'hubspot-crm', file: 'crm/customers.csv' },
  'crm.orders': { preset: 'hubspot-crm', file: 'crm/orders.csv' },
} as const;
export type EntityName = keyof typeof ENTITIES;

/** The source settings a user writes for an entity of the emulator (fast retries for tests). */
export function apiSource(url: string, entity: EntityName, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'http',
    preset: ENTITIES[entity].preset,
    base_url: url,
    auth: { type: 'bearer', token_env: 'CRM_API_TOKEN' },
    max_requests_per_second: 1000,
    max_backoff: 1,
    ...extra,
  };
}

export function contractOf(entity: string) {
  const [source, name] = entity.split('.') as [string, string];
  return findEntity(source, name);
}

export const columnsOf = (entity: string) => Object.keys(contractOf(entity).schema.shape);
export const tableOf = (entity: string) => entity.replace('.', '_');

/** A warehouse in a folder of its own (deliveries go beside it). */
export async function freshWarehouse(): Promise<Warehouse> {
  return Warehouse.open(join(tempDir('crm-eval-http-wh-'), 'warehouse.duckdb'));
}

/** extractEntity as a run calls it, with these sources configured; the token in the environment. */
export async function extract(
  warehouse: Warehouse,
  sources: Record<string, unknown>,
  entity: string,
  runId = 'api-1',
  progress: string[] = [],
): Promise<ExtractOutput> {
  process.env.CRM_API_TOKEN = TOKEN;
  const activities = createActivities({ config: parseConfig({ sources }), withWarehouse: (work) => work(warehouse), progress: (m) => progress.push(m) });
  const [source, name] = entity.split('.') as [string, string];
  return activities.extractEntity({ runId, dataDir: '/nonexistent', source, entity: name });
}

/** The checksum of a file load of the same entity, for comparison. */
export async function fileChecksum(dataDir: string, entity: EntityName): Promise<{ rows: number; checksum: string }> {
  const warehouse = await Warehouse.open(':memory:');
  try {
    await loadEntity(warehouse, { contract: contractOf(entity), path: join(dataDir, ENTITIES[entity].file), loadId: 'files' });
    return await rawChecksum(warehouse, tableOf(entity), columnsOf(entity));
  } finally {
    warehouse.close();
  }
}

/** Staging's view (the latest version of each key), as checksum: what the marts will read. */
export async function latestChecksum(warehouse: Warehouse, entity: string): Promise<{ rows: number; checksum: string }> {
  const list = columnsOf(entity)
    .filter((c) => !(contractOf(entity).pii ?? []).includes(c))
    .map((c) => `"${c}"`)
    .join(', ');
  return warehouse.one(
    `SELECT count(*)::BIGINT AS rows, CAST(coalesce(sum(hash(${list})::HUGEINT), 0) AS VARCHAR) AS checksum FROM (${latestVersion(contractOf(entity))})`,
  );
}
