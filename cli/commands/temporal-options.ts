/** The connection flags every Temporal command takes; unset flags fall back to TEMPORAL_* variables. */
import type { Command } from 'commander';

export function temporalOptions(command: Command): Command {
  return command
    .option('--address <host:port>', 'Temporal server (TEMPORAL_ADDRESS; default localhost:7233)')
    .option('--namespace <name>', 'namespace (TEMPORAL_NAMESPACE; default "default")')
    .option('--task-queue <name>', 'task queue of the workflows (TEMPORAL_TASK_QUEUE; default crm-eval)')
    .option('--activity-task-queue <name>', 'task queue of the worker that owns the warehouse (TEMPORAL_ACTIVITY_TASK_QUEUE; default the task queue)')
    .option('--tls-cert <file>', 'mTLS client certificate (TEMPORAL_TLS_CERT)')
    .option('--tls-key <file>', 'mTLS client key (TEMPORAL_TLS_KEY)')
    .option('--api-key <key>', 'API key, e.g. for Temporal Cloud (TEMPORAL_API_KEY)')
    .option('--connect-timeout <seconds>', 'give up connecting after this long (TEMPORAL_CONNECT_TIMEOUT; default 5)');
}

/**
 * Runs a Temporal command and ends the process: the Temporal runtime's native threads, or a
 * connection attempt still pending after its deadline, would otherwise keep it alive.
 */
export function exitWhenDone<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code = 0;
    try {
      await action(...args);
    } catch (error) {
      console.error(`crm-eval: ${(error as Error).message}`);
      if (process.env.DEBUG) console.error(error);
      code = (error as { exitCode?: number }).exitCode ?? 1;
    }
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  };
}
