/**
 * What the real-server tests share: the dev server of the run (global-setup.ts), workers as the
 * user starts them (`crm-eval worker` in a child process, so they can be killed for real), a
 * client, a generated company (and, from fixtures, how two warehouses' marts differ).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { generateCompany } from '../../../../sources/reference-company/generate.ts';
import { FAULTS_VARIABLE, type FaultRule } from '../../../../workflows/temporal/faults.ts';
import type { Progress } from '../../../../workflows/temporal/workflows.ts';
import { tempDir } from '../../../fixtures/csv.ts';

const CLI = fileURLToPath(new URL('../../../../bin/crm-eval.js', import.meta.url));
const provided = inject('temporal');

/** The dev server's address; the suite is skipped (with the reason) when there is none. */
export const address = 'address' in provided ? provided.address : '';
export const temporalCli = 'cli' in provided ? provided.cli : '';
/** Marks the processes a test starts, so the run can check that none is left (global-setup.ts). */
const SESSION = { CRM_EVAL_TEST_SESSION: provided.session };
export const describeWithServer: typeof describe = 'address' in provided ? describe : (describe.skip as typeof describe);

/** A task queue no other test uses: tests share the server, never a queue. */
export const uniqueQueue = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

/** Fast failure detection for tests: a lost worker is noticed in 5 s (not 2 minutes), a retry comes 1 s later. */
export const FAST = { heartbeat: '5 seconds', firstRetry: '1 second' };

export async function connectClient(): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address }) });
}

export interface WorkerProcess {
  child: ChildProcess;
  /** everything it printed so far */
  output(): string;
  /** resolves with the exit code (or the signal's name) */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): void;
}

const running = new Set<WorkerProcess>();

export interface WorkerSpec {
  taskQueue: string;
  activityTaskQueue?: string;
  role?: 'all' | 'workflows' | 'activities';
  warehouse?: string;
  data?: string;
  faults?: FaultRule[];
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

/** `crm-eval worker ...` as a user starts it; resolves once it polls. */
export async function startWorker(spec: WorkerSpec): Promise<WorkerProcess> {
  const args = [CLI, 'worker', '--address', address, '--task-queue', spec.taskQueue, '--role', spec.role ?? 'all'];
  if (spec.activityTaskQueue) args.push('--activity-task-queue', spec.activityTaskQueue);
  if (spec.warehouse) args.push('--warehouse', spec.warehouse);
  if (spec.data) args.push('--data', spec.data);
  args.push(...(spec.extraArgs ?? []));
  const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env, ...SESSION, CI: '1' };
  if (spec.faults) {
    const file = join(tempDir('crm-eval-faults-'), 'faults.json');
    writeFileSync(file, JSON.stringify(spec.faults));
    env[FAULTS_VARIABLE] = file;
  }
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const worker: WorkerProcess = { child, output: () => output, exited, kill: (signal) => child.kill(signal) };
  running.add(worker);
  void exited.then(() => running.delete(worker));
  await until(() => /^Worker \(.*\) polling /m.test(output), 60_000, () => `worker did not start polling:\n${output}`, exited);
  return worker;
}

/** Kills every worker a test left running (afterEach / afterAll). */
export async function stopAllWorkers(): Promise<void> {
  const left = [...running];
  for (const worker of left) worker.kill('SIGKILL');
  await Promise.all(left.map((w) => w.exited));
}

export interface ServerFixture {
  client: Client;
  /** a generated company's delivery folder */
  data: string;
  /** a scratch folder for warehouses */
  dir: string;
}

/**
 * What most server tests start from: a client, a generated company and a scratch folder, made
 * before the file's tests and removed after them, with every worker they started.
 */
export function serverFixture(customers: number, options: { clean?: boolean } = {}): ServerFixture {
  const fixture = {} as ServerFixture;
  beforeAll(async () => {
    fixture.client = await connectClient();
    fixture.data = await company(customers, options);
    fixture.dir = tempDir('crm-eval-server-');
  });
  afterAll(async () => {
    await stopAllWorkers();
    await fixture.client?.connection.close();
    for (const dir of [fixture.data, fixture.dir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return fixture;
}

/** `crm-eval <args>` against the dev server (unless `onServer: false`); resolves with its exit code and output. */
export async function crmEval(args: string[], env: NodeJS.ProcessEnv = {}, options: { onServer?: boolean } = {}): Promise<{ code: number; output: string }> {
  const onServer = options.onServer ?? true;
  const child = spawn(process.execPath, [CLI, ...args, ...(onServer ? ['--address', address] : [])], { env: { ...process.env, ...env, ...SESSION, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  return { code, output };
}

/** Polls until `ready()` holds; fails with `why()` after the timeout or when `gone` settles. */
export async function until(ready: () => boolean | Promise<boolean>, timeoutMs: number, why: () => string, gone?: Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void gone?.then(() => (ended = true));
  while (!(await ready())) {
    if (ended || Date.now() > deadline) throw new Error(why());
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The workflow's progress query, or null while no worker answers it. */
export async function progressOf(handle: WorkflowHandle): Promise<Progress | null> {
  try {
    return await handle.query<Progress>('progress');
  } catch {
    return null;
  }
}

/** A generated reference company (CSV), with its planted bad rows unless `clean`. */
export async function company(customers: number, options: { clean?: boolean } = {}): Promise<string> {
  const dir = tempDir('crm-eval-company-');
  await generateCompany({ outDir: dir, customers, seed: 42, defects: !options.clean });
  return dir;
}

export { differences } from '../../../fixtures/warehouse-differences.ts';
