/**
 * The activities as a Temporal worker runs them: the very functions of ../activities.ts (the
 * embedded runner calls them too), plus what running under Temporal needs:
 * - progress becomes heartbeat details, and a step heartbeats every few seconds while it runs,
 *   so a lost worker is noticed within the heartbeat timeout and a cancellation reaches it;
 * - contract violations and configuration errors become non-retryable failures with their
 *   message (retrying a truncated file cannot help); anything else stays retryable;
 * - each activity gets its own connection to the one warehouse the worker opened (DuckDB lets
 *   one process write a file), interrupted when the activity is cancelled.
 * Idempotency is the activities' own: a step is keyed by run id (the load id) and step, so a
 * retry replaces what an earlier attempt wrote.
 */
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { Config } from '../../config/schema.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { createActivities, type Activities } from '../activities.ts';
import { faultsFor, InjectedFault, type FaultRule } from './faults.ts';

/** Errors a retry cannot cure: the delivery, the contract or the configuration must change. */
export const NON_RETRYABLE_ERRORS = [
  'LoadError',
  'ConfigError',
  'DataTestError',
  'InconsistentMatrixError',
  // a run id outside the documented character set, a site folder the build did not write, a
  // data folder that is no delivery folder: the input must change
  'InvalidRunIdError',
  'SiteTargetError',
  'DataDirError',
] as const;

export interface WorkerActivityDeps {
  config: Config;
  /** the warehouse the worker opened once; every activity connects to it */
  warehouse: Warehouse;
  /** the data folder of runs that name none */
  dataDir?: string;
  /** where the report site is built (default build/) */
  siteDir?: string;
  /**
   * how often a running step heartbeats: default a third of the activity's heartbeat timeout,
   * at most 10 s (the server throttles beats to 0.8 x that timeout anyway)
   */
  heartbeatEveryMs?: number;
  /** asks the server which runs have ended (see ActivityDeps.endedOnServer) */
  endedOnServer?: (runIds: string[]) => Promise<Array<{ runId: string; status: string }>>;
}

export interface HeartbeatDetails {
  activity: string;
  message: string;
}

export function createTemporalActivities(deps: WorkerActivityDeps): Activities {
  const last = new WeakMap<Context, HeartbeatDetails>();
  const activities = createActivities({
    config: deps.config,
    dataDir: deps.dataDir,
    siteDir: deps.siteDir,
    endedOnServer: deps.endedOnServer,
    withWarehouse: (work) => withOwnConnection(deps.warehouse, work),
    // a database extract checks it after every page
    cancellation: () => Context.current().cancellationSignal,
    progress: (message) => {
      const context = Context.current();
      const details = { activity: context.info.activityType, message };
      last.set(context, details);
      context.heartbeat(details);
    },
  });
  const wrapped = Object.entries(activities).map(([name, activity]) => [
    name,
    async (input: unknown) => {
      const context = Context.current();
      const every = deps.heartbeatEveryMs ?? Math.min(10_000, (context.info.heartbeatTimeoutMs ?? 30_000) / 3);
      const beat = setInterval(() => context.heartbeat(last.get(context) ?? { activity: name, message: 'running' }), every);
      const faults = faultsFor(name, input, context.info.attempt);
      let work: Promise<unknown> | undefined;
      try {
        await injected(faults, 'before', context);
        work = (activity as (input: unknown) => Promise<unknown>)(input);
        const output = await Promise.race([work, context.cancelled]);
        await injected(faults, 'after', context);
        return output;
      } catch (error) {
        if (error instanceof CancelledFailure) {
          // The connection was interrupted: let the load roll back before reporting.
          await work?.catch(() => undefined);
          throw error;
        }
        throw asFailure(error);
      } finally {
        clearInterval(beat);
      }
    },
  ]);
  return Object.fromEntries(wrapped) as Activities;
}

/** A test's faults (faults.ts): pause (heartbeating, cancellable), then fail if asked to. */
async function injected(faults: FaultRule[], at: 'before' | 'after', context: Context): Promise<void> {
  for (const fault of faults) {
    if (fault.pauseMs && (fault.at ?? 'before') === at) await Promise.race([context.sleep(fault.pauseMs), context.cancelled]);
    if (fault.fail === at) throw new InjectedFault(`injected fault: ${context.info.activityType} fails ${at} its work (attempt ${context.info.attempt})`);
  }
}

/**
 * The failure Temporal records. A LoadError with a cause is an unexpected failure during the
 * load (I/O, a write conflict): retryable, unlike one about the delivery itself.
 */
export function asFailure(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof ApplicationFailure) return error;
  const type = error.name;
  const unexpected = type === 'LoadError' && error.cause !== undefined;
  if ((NON_RETRYABLE_ERRORS as readonly string[]).includes(type) && !unexpected) {
    return ApplicationFailure.create({ message: error.message, type, nonRetryable: true });
  }
  return error; // retryable; Temporal records error.name as the failure type
}

async function withOwnConnection<T>(shared: Warehouse, work: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const signal = Context.current().cancellationSignal;
  const warehouse = await shared.connect();
  const interrupt = () => warehouse.connection.interrupt();
  signal.addEventListener('abort', interrupt);
  try {
    return await work(warehouse);
  } finally {
    signal.removeEventListener('abort', interrupt);
    warehouse.close();
  }
}
