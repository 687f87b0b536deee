/**
 * The activities: every unit of work the plan's steps run, built around injected dependencies
 * so the embedded runner and a Temporal worker call the very same functions. They pass
 * references and counts, never rows. Each is idempotent: it is keyed by the run id (the load
 * id of its rows) and replaces what an earlier attempt of the same step wrote.
 */
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { provides, type Config } from '../config/schema.ts';
import { extractWithConnector } from '../sources/connectors/extract.ts';
import { openConnector } from '../sources/connectors/registry.ts';
import { configuredSources, sourceOf } from '../sources/connectors/settings.ts';
import { findEntity } from '../sources/catalog.ts';
import { checkDataDir, checkNotProvided, expectedPaths, findEntityFile } from '../sources/load/files.ts';
import { entities } from '../sources/catalog.ts';
import { loadEntity, LoadError, type LoadResult, type LoadWindow } from '../sources/load/load-entity.ts';
import { ensureLoadLog, ensureRawTable } from '../sources/load/tables.ts';
import { ensureMarks } from '../sources/connectors/marks.ts';
import { columnSpecs } from '../sources/load/checks.ts';
import { buildModel, testModel, assertPassed, type DataTestResult, type ModelBuilt } from '../transforms/framework/build.ts';
import { ensureModelLog, recordModelBuilt } from '../transforms/framework/model-log.ts';
import { discoverModels, orderModels } from '../transforms/framework/discover.ts';
import { assertConfigFitsData } from '../transforms/config-fits-data.ts';
import type { BuildContext } from '../transforms/framework/model.ts';
import { resolvePiiSalt } from '../transforms/staging/_pii.ts';
import { buildSite } from '../reports/evidence/build-site.ts';
import { publishSnapshot, publishedPath } from '../warehouse/publish.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { validateRunId } from './run-id.ts';

export interface ActivityDeps {
  config: Config;
  /** runs `work` with the working warehouse open (shared in-process, or opened per activity) */
  withWarehouse<T>(work: (warehouse: Warehouse) => Promise<T>): Promise<T>;
  /** progress from long steps (a Temporal activity turns it into a heartbeat) */
  progress?: (message: string) => void;
  /** the data folder of runs that name none (a Temporal worker's --data: paths are the worker host's) */
  dataDir?: string;
  /** where the report site is built (default build/) */
  siteDir?: string;
  /**
   * The running activity's cancellation, if any (a Temporal worker: its cancellation signal): a
   * database extract checks it after every page and stops there.
   */
  cancellation?: () => AbortSignal | undefined;
  /**
   * Which of these run ids (workflow ids) the Temporal server says have ended, and how: a run
   * terminated or timed out on the server never records its end, so the next run marks it.
   * Absent for the embedded runner.
   */
  endedOnServer?: (runIds: string[]) => Promise<Array<{ runId: string; status: string }>>;
}

export interface ExtractInput {
  runId: string;
  dataDir: string;
  source: string;
  entity: string;
  /** a backfill: only this date range of an incremental entity is re-extracted (see LoadRequest) */
  window?: LoadWindow;
}

/**
 * What a load reports (see LoadResult), that an optional entity was not delivered (absent), or
 * that its source is one the company does not deliver (not_provided: sources_provided). For an
 * entity from a connector, `file` is its target (e.g. postgres://reader@erp:5432/erp/gl_lines)
 * and rowsFetched the rows it delivered.
 */
export type ExtractOutput = Omit<LoadResult, 'file' | 'loadId'> & {
  status: 'loaded' | 'absent' | 'not_provided';
  file: string | null;
  /** a connector's retried extract: the pages an earlier attempt had committed, not fetched again */
  resumedPages?: number;
};

export interface TransformOutput {
  models: ModelBuilt[];
  seconds: number;
}

export interface TestOutput {
  tests: number;
  warnings: DataTestResult[];
  seconds: number;
}

export interface PublishOutput {
  path: string;
  tables: number;
  seconds: number;
}

export interface ReportsOutput {
  out: string;
  pages: number;
  seconds: number;
}

export interface RunStartInput {
  runId: string;
  /** 'embedded', 'temporal:nightlyLoad', 'temporal:backfill 2024-01-01..2024-03-01', ... */
  runner: string;
  dataDir?: string;
}

/** What a Temporal workflow builds its plan from, so workflow code never imports the catalog. */
export interface RunStartOutput {
  dataDir: string;
  entities: Array<{ source: string; entity: string }>;
}

export interface RunEndInput {
  runId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  error?: string;
  steps: Array<{ id: string; status: string; seconds: number; error: string | null }>;
}

export function createActivities(deps: ActivityDeps) {
  const context = async (warehouse: Warehouse): Promise<BuildContext> => ({
    warehouse,
    config: deps.config,
    piiSalt: await resolvePiiSalt(warehouse, deps.config),
  });
  // A layer is built from its own models and the layers below it (staging needs no marts).
  const models = async (upTo: 'staging' | 'marts' = 'marts') =>
    orderModels(await discoverModels(undefined, upTo === 'staging' ? ['staging'] : ['staging', 'marts']));

  return {
    /**
     * Validates and loads one entity: its file, or what its configured connector (a database, an API)
     * fetches, written as delivery files and loaded by the same loader. The run id is the load id.
     */
    async extractEntity(input: ExtractInput): Promise<ExtractOutput> {
      validateRunId(input.runId, 'load id');
      const contract = findEntity(input.source, input.entity);
      const source = sourceOf(deps.config, contract);
      if (source) {
        const connector = openConnector(source, process.env, deps.progress);
        try {
          const warehousePath = await deps.withWarehouse(async (warehouse) => warehouse.path);
          const extracted = await extractWithConnector({
            connector,
            runId: input.runId,
            deliveriesRoot: warehousePath === ':memory:' ? join(tmpdir(), 'crm-eval-deliveries') : join(dirname(warehousePath), 'deliveries'),
            window: input.window,
            withWarehouse: deps.withWarehouse,
            progress: deps.progress,
            settingsFingerprint: source.settings,
            signal: deps.cancellation?.(),
            limits: { futureToleranceHours: deps.config.load.future_tolerance_hours, maxQuarantinedShare: deps.config.load.max_quarantined_share },
          });
          const { loadId: _, ...loaded } = extracted.load;
          return { ...loaded, status: 'loaded', ...(extracted.resumedParts > 0 ? { resumedPages: extracted.resumedParts } : {}) };
        } finally {
          await connector.close();
        }
      }
      const found = findEntityFile(input.dataDir, contract);
      const provided = provides(deps.config, contract.source);
      // said here too, not only at run start: a Temporal backfill runs extracts on its own
      if (!provided) checkNotProvided(input.dataDir, [contract]);
      return deps.withWarehouse(async (warehouse) => {
        if (!provided) {
          // Not expected at all: the (empty) table lets staging and the marts build as for no rows.
          await ensureRawTable(warehouse, contract, columnSpecs(contract));
          return { ...nothingLoaded(input), status: 'not_provided' };
        }
        if (!found) {
          if (!contract.optional) {
            throw new LoadError(
              `${input.source}.${input.entity}`,
              input.dataDir,
              `no file delivered; looked for ${expectedPaths(input.dataDir, contract).join(', ')}${declareHint(deps.config, contract.source, input.dataDir)}`,
            );
          }
          // An optional entity that was not delivered still gets its (empty) table for staging.
          await ensureRawTable(warehouse, contract, columnSpecs(contract));
          return { ...nothingLoaded(input), status: 'absent' };
        }
        deps.progress?.(`loading ${found.path}`);
        const { loadId: _, ...loaded } = await loadEntity(warehouse, {
          contract,
          path: found.path,
          format: found.format,
          loadId: input.runId,
          window: input.window,
          futureToleranceHours: deps.config.load.future_tolerance_hours,
          maxQuarantinedShare: deps.config.load.max_quarantined_share,
        });
        return { ...loaded, status: 'loaded' };
      });
    },

    /**
     * Builds the models of one layer in dependency order. The marts start by checking the
     * configuration against the staged data (a go-live outside it, a control group no customer
     * is in): a ConfigError, so Temporal does not retry what only a changed setting can fix.
     */
    async buildModels(input: { runId: string; layer: 'staging' | 'marts' }): Promise<TransformOutput> {
      const started = Date.now();
      return deps.withWarehouse(async (warehouse) => {
        if (input.layer === 'marts') {
          deps.progress?.('checking the configuration against the data');
          await assertConfigFitsData(warehouse, deps.config);
        }
        const ctx = await context(warehouse);
        await ensureModelLog(warehouse);
        const built: ModelBuilt[] = [];
        for (const model of (await models(input.layer)).filter((m) => m.name.startsWith(`${input.layer}.`))) {
          deps.progress?.(`building ${model.name}`);
          built.push(await buildModel(ctx, model));
          await recordModelBuilt(warehouse, input.runId, built.at(-1)!);
        }
        return { models: built, seconds: (Date.now() - started) / 1000 };
      });
    },

    /** Runs every model's data tests; a failing test of severity error fails the step. */
    async runDataTests(_input: { runId: string }): Promise<TestOutput> {
      const started = Date.now();
      return deps.withWarehouse(async (warehouse) => {
        const ctx = await context(warehouse);
        const results: DataTestResult[] = [];
        for (const model of await models()) {
          deps.progress?.(`testing ${model.name}`);
          results.push(...(await testModel(ctx, model)));
        }
        assertPassed(results);
        return {
          tests: results.length,
          warnings: results.filter((r) => r.failures > 0),
          seconds: (Date.now() - started) / 1000,
        };
      });
    },

    /** Swaps in the read-only snapshot that reports and analysts read. */
    async publishSnapshot(input: { runId: string }): Promise<PublishOutput> {
      const started = Date.now();
      return deps.withWarehouse(async (warehouse) => {
        const published = await publishSnapshot(warehouse, input.runId);
        return { ...published, seconds: (Date.now() - started) / 1000 };
      });
    },

    /**
     * Builds the report site from the published snapshot (never the working file, which the
     * next run may be rewriting); Evidence's own output becomes progress (a heartbeat).
     */
    async buildReports(_input: { runId: string }): Promise<ReportsOutput> {
      const snapshot = await deps.withWarehouse(async (warehouse) => publishedPath(warehouse.path));
      const site = await buildSite({ snapshot, out: deps.siteDir ?? 'build', language: deps.config.language, currency: deps.config.currency, onLine: deps.progress });
      return { out: site.out, pages: site.pages.length, seconds: site.seconds };
    },

    /**
     * Records a run as started in meta.runs (a rerun of a run id replaces its row) and returns
     * what its plan is built from: the entities of this version's catalog and the data folder.
     */
    async recordRunStart(input: RunStartInput): Promise<RunStartOutput> {
      // The one gate every run passes, embedded or on Temporal (where the run id is the workflow id).
      validateRunId(input.runId);
      const dataDir = input.dataDir ?? deps.dataDir;
      if (!dataDir) throw new Error(`run ${input.runId} names no data folder and the worker has no default (--data)`);
      // A bad source setting (an unknown entity or column) fails the run before any step; a data
      // folder that is no delivery folder is said once here, rather than by every file extract.
      const fromConnectors = new Set(configuredSources(deps.config).map((s) => s.contract));
      const fromFiles = entities.filter((contract) => !fromConnectors.has(contract) && provides(deps.config, contract.source));
      if (fromFiles.length > 0) checkDataDir(dataDir, fromFiles);
      checkNotProvided(dataDir, entities.filter((contract) => !provides(deps.config, contract.source)));
      await deps.withWarehouse(async (warehouse) => {
        await ensureRunLog(warehouse);
        // DuckDB lets one process write the file: an embedded run still 'running' while this one
        // holds the warehouse was killed. (A Temporal run outlives a worker and records its end.)
        await warehouse.run(
          `UPDATE meta.runs SET status = 'abandoned', finished_at = now()::TIMESTAMP, error = $2
           WHERE status = 'running' AND runner = 'embedded' AND run_id <> $1`,
          [input.runId, `the process running it ended before it finished (found by run ${input.runId})`],
        );
        if (deps.endedOnServer) await markEndedOnServer(warehouse, input.runId, deps.endedOnServer);
        await warehouse.run(`DELETE FROM meta.runs WHERE run_id = $1`, [input.runId]);
        await warehouse.run(`INSERT INTO meta.runs VALUES ($1, $2, $3, now()::TIMESTAMP, NULL, 'running', NULL, NULL)`, [
          input.runId,
          input.runner,
          dataDir,
        ]);
      });
      return { dataDir, entities: entities.map(({ source, entity }) => ({ source, entity })) };
    },

    /** Records how a run ended, with every step's outcome. */
    async recordRunEnd(input: RunEndInput): Promise<void> {
      await deps.withWarehouse(async (warehouse) => {
        await ensureRunLog(warehouse);
        await warehouse.run(`UPDATE meta.runs SET finished_at = now()::TIMESTAMP, status = $2, error = $3, steps = $4 WHERE run_id = $1`, [
          input.runId,
          input.status,
          input.error ?? null,
          JSON.stringify(input.steps),
        ]);
      });
    },
  };
}

/**
 * Temporal runs still 'running' in meta.runs whose workflow the server says has ended (terminated,
 * timed out, cancelled, gone): they will never record their end, so they are marked abandoned.
 */
async function markEndedOnServer(warehouse: Warehouse, runId: string, endedOnServer: NonNullable<ActivityDeps['endedOnServer']>): Promise<void> {
  const open = await warehouse.all<{ run_id: string }>(`SELECT run_id FROM meta.runs WHERE status = 'running' AND runner LIKE 'temporal:%' AND run_id <> $1`, [runId]);
  if (open.length === 0) return;
  for (const ended of await endedOnServer(open.map((r) => r.run_id))) {
    await warehouse.run(`UPDATE meta.runs SET status = 'abandoned', finished_at = now()::TIMESTAMP, error = $2 WHERE run_id = $1 AND status = 'running'`, [
      ended.runId,
      `the workflow ended on the server (${ended.status}) before it recorded its end (found by run ${runId})`,
    ]);
  }
}

/**
 * meta.runs, as the embedded pipeline (embedded/pipeline.ts) creates it, and the load log.
 * A worker creates both once at start: concurrent activities creating the same table would
 * conflict in DuckDB's catalog.
 */
export async function ensureRunLog(warehouse: Warehouse): Promise<void> {
  await warehouse.run(`CREATE TABLE IF NOT EXISTS meta.runs (
    run_id VARCHAR PRIMARY KEY, runner VARCHAR, data_dir VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP,
    status VARCHAR, error VARCHAR, steps JSON)`);
  await ensureLoadLog(warehouse);
  await ensureMarks(warehouse);
  await ensureModelLog(warehouse);
}

export type Activities = ReturnType<typeof createActivities>;

/**
 * How a company without this source says so: the setting, with the list it would write (a
 * finance folder that is missing by accident fails as before, but names the way out). The list
 * also leaves out any other source with no file at all, so every failed extract of a CRM-only
 * delivery suggests the same, whole setting.
 */
function declareHint(config: Config, source: string, dataDir: string): string {
  if (source === 'crm') return '';
  const delivered = (s: string) => entities.some((c) => c.source === s && findEntityFile(dataDir, c));
  const rest = config.sources_provided.filter((s) => s !== source && (s === 'crm' || delivered(s)));
  return `. A company that delivers no ${source} data declares it in the configuration: sources_provided: [${rest.join(', ')}]`;
}

function nothingLoaded(input: ExtractInput): Omit<ExtractOutput, 'status'> {
  return {
    source: input.source, entity: input.entity, file: null, rowsInFile: 0, rowsSkipped: 0, rowsRead: 0,
    rowsLoaded: 0, rowsQuarantined: 0, fieldsNulled: 0, extraColumns: [], missingColumns: [], watermarkBefore: null, watermarkAfter: null, window: null, seconds: 0,
  };
}

