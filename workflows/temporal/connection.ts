/**
 * Where the Temporal server is and how to reach it, from flags or the standard environment
 * variables, and connecting so that an unreachable server fails within seconds with a message
 * saying what to do, instead of hanging. A TCP probe first makes a closed port or an unknown
 * host fail at once (the gRPC client would retry until its deadline); a host that accepts and
 * never answers would hold NativeConnection.connect for 30 s (it has no timeout option), so
 * connecting is raced against a timer, and the caller exits the process.
 */
import { readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

export interface TemporalFlags {
  address?: string;
  namespace?: string;
  taskQueue?: string;
  activityTaskQueue?: string;
  tlsCert?: string;
  tlsKey?: string;
  apiKey?: string;
  connectTimeout?: string;
}

export interface TemporalSettings {
  address: string;
  namespace: string;
  /** where workflow tasks go: any worker may take them */
  taskQueue: string;
  /** where activities go: the worker on the host that owns the warehouse file */
  activityTaskQueue: string;
  tlsCert?: string;
  tlsKey?: string;
  apiKey?: string;
  connectTimeoutMs: number;
}

export const DEFAULT_ADDRESS = 'localhost:7233';
export const DEFAULT_TASK_QUEUE = 'crm-eval';

/** Flags win over the environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, ...), which wins over defaults. */
export function temporalSettings(flags: TemporalFlags, env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  const taskQueue = flags.taskQueue ?? env.TEMPORAL_TASK_QUEUE ?? DEFAULT_TASK_QUEUE;
  const seconds = Number(flags.connectTimeout ?? env.TEMPORAL_CONNECT_TIMEOUT ?? 5);
  if (!Number.isFinite(seconds) || seconds <= 0) throw usageError(`--connect-timeout: expected a number of seconds, got ${flags.connectTimeout}`);
  const settings: TemporalSettings = {
    address: flags.address ?? env.TEMPORAL_ADDRESS ?? DEFAULT_ADDRESS,
    namespace: flags.namespace ?? env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue,
    activityTaskQueue: flags.activityTaskQueue ?? env.TEMPORAL_ACTIVITY_TASK_QUEUE ?? taskQueue,
    // TEMPORAL_TLS_CERT / _KEY as the temporal CLI names them; the envconfig names work too.
    tlsCert: flags.tlsCert ?? env.TEMPORAL_TLS_CERT ?? env.TEMPORAL_TLS_CLIENT_CERT_PATH,
    tlsKey: flags.tlsKey ?? env.TEMPORAL_TLS_KEY ?? env.TEMPORAL_TLS_CLIENT_KEY_PATH,
    apiKey: flags.apiKey ?? env.TEMPORAL_API_KEY,
    connectTimeoutMs: seconds * 1000,
  };
  if (Boolean(settings.tlsCert) !== Boolean(settings.tlsKey)) {
    throw usageError('mTLS needs both a client certificate and its key (--tls-cert and --tls-key, or TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY)');
  }
  return settings;
}

/** mTLS with a client certificate (self-hosted or Cloud), TLS alone with an API key (Cloud), else plain. */
function tls(settings: TemporalSettings) {
  if (settings.tlsCert && settings.tlsKey) {
    const read = (path: string) => {
      try {
        return readFileSync(path);
      } catch (error) {
        throw usageError(`cannot read ${path}: ${(error as Error).message}`);
      }
    };
    return { clientCertPair: { crt: read(settings.tlsCert), key: read(settings.tlsKey) } };
  }
  return settings.apiKey ? true : undefined;
}

/** The worker's connection (native, Rust core). */
export async function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  await probe(settings);
  return withDeadline(NativeConnection.connect({ address: settings.address, tls: tls(settings), apiKey: settings.apiKey }), settings);
}

/** A client for starting workflows, queries and schedules. */
export async function connectClient(settings: TemporalSettings): Promise<Client> {
  await probe(settings);
  const connection = await withDeadline(
    Connection.connect({ address: settings.address, tls: tls(settings), apiKey: settings.apiKey, connectTimeout: settings.connectTimeoutMs }),
    settings,
  );
  return new Client({ connection, namespace: settings.namespace });
}

/** The server could not be reached; the process should exit (a pending native connect keeps it alive). */
export class TemporalUnreachable extends Error {
  override name = 'TemporalUnreachable';
  readonly exitCode = 1;
  constructor(settings: TemporalSettings, reason: string) {
    super(
      `cannot reach the Temporal server at ${settings.address} (namespace ${settings.namespace}): ${reason}\n` +
        `  Is it running? For a local one: temporal server start-dev (it listens on ${DEFAULT_ADDRESS}).\n` +
        `  Otherwise set --address / TEMPORAL_ADDRESS (and --namespace, --api-key or --tls-cert/--tls-key for Temporal Cloud).`,
    );
  }
}

async function withDeadline<T>(connecting: Promise<T>, settings: TemporalSettings): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TemporalUnreachable(settings, `no answer within ${settings.connectTimeoutMs / 1000} s`)), settings.connectTimeoutMs);
  });
  try {
    return await Promise.race([connecting, deadline]);
  } catch (error) {
    if (error instanceof TemporalUnreachable) throw error;
    throw new TemporalUnreachable(settings, firstLine((error as Error).message));
  } finally {
    clearTimeout(timer);
  }
}

/** Can a TCP connection be opened at all? Refused, unknown host or no route fail here at once. */
async function probe(settings: TemporalSettings): Promise<void> {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(settings.address);
  if (!match) throw usageError(`--address: expected host:port, got ${settings.address}`);
  const [, host, port] = match;
  await withDeadline(
    new Promise<void>((resolve, reject) => {
      const socket = tcpConnect({ host: host!, port: Number(port) }, () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        socket.destroy();
        reject(new Error(error.code === 'ECONNREFUSED' ? 'connection refused (nothing listens there)' : error.message));
      });
    }),
    settings,
  );
}

function usageError(message: string): Error {
  return Object.assign(new Error(message), { exitCode: 2 });
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
