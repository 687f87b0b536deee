/**
 * Builds a workflow history (the proto-JSON `{ events: [...] }` that `temporal workflow show
 * --output json` prints) from the events a real execution would have, so workflow code can be
 * tested by replay with no Temporal server.
 *
 * How an execution looks: the workflow starts; in each workflow task it runs until it waits,
 * and what it asked for (activities, completion, continue-as-new) is recorded right after the
 * task completes; activity results come back as events, and the next task resumes it.
 *
 *   const h = new HistoryBuilder({ workflowType: 'nightlyLoad', input: [{}] });
 *   h.workflowTask();                                   // the workflow runs until it waits
 *   const [start] = h.scheduleActivities(['recordRunStart']);
 *   h.completeActivity(start, { dataDir: '/data', entities: [] });
 *   h.workflowTask();                                   // it resumes with the result
 *   ...
 *   h.completeWorkflow(result);
 *
 * Replay checks each activity's type and order (activityId "1", "2", ... in scheduling order)
 * and the final command; it does not compare inputs, results or timeouts, but the workflow
 * reads the results, so they must be what the activities would return.
 * Traps (see /work/shared/ARCHITECTURE.md): the first workflowTaskCompleted must carry
 * sdkMetadata.coreUsedFlags [1, 2, 3] or the type and id checks are skipped; workflowType and
 * taskQueue are required or replay never returns. Server-side retries leave no events for the
 * failed attempts: only `attempt` and `lastFailure` on ActivityTaskStarted.
 */

export interface HistoryJson {
  events: Array<Record<string, unknown>>;
}

/** A failure as Temporal records it (an ApplicationFailure thrown by an activity or workflow). */
export interface FailureJson {
  message: string;
  source: string;
  applicationFailureInfo: { type: string; nonRetryable: boolean };
}

export function applicationFailure(message: string, type: string, nonRetryable = false): FailureJson {
  return { message, source: 'TypeScriptSDK', applicationFailureInfo: { type, nonRetryable } };
}

/** Payloads as the default data converter writes them: JSON, base64-encoded; undefined as binary/null. */
export function payloads(...values: unknown[]) {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return {
    payloads: values.map((v) =>
      v === undefined ? { metadata: { encoding: b64('binary/null') } } : { metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify(v)) },
    ),
  };
}

export interface StartOptions {
  workflowType: string;
  input?: unknown[];
  taskQueue?: string;
  /** first event's time; each later event is one second after the previous one */
  startTime?: string;
  /** the run this one continues (continue-as-new) */
  continuedExecutionRunId?: string;
}

export class HistoryBuilder {
  private readonly events: Array<Record<string, unknown>> = [];
  private readonly taskQueue: string;
  private readonly workflowType: string;
  private time: number;
  private activities = 0;
  private workflowTasks = 0;
  private lastTaskCompleted = 0;
  private readonly startedOf = new Map<number, number>();

  constructor(start: StartOptions) {
    this.taskQueue = start.taskQueue ?? 'crm-eval';
    this.workflowType = start.workflowType;
    this.time = Date.parse(start.startTime ?? '2026-11-22T02:00:00Z');
    this.add('WorkflowExecutionStarted', {
      workflowType: { name: start.workflowType },
      taskQueue: { name: this.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      input: payloads(...(start.input ?? [])),
      workflowTaskTimeout: '10s',
      attempt: 1,
      identity: 'history-builder',
      ...(start.continuedExecutionRunId
        ? { continuedExecutionRunId: start.continuedExecutionRunId, initiator: 'CONTINUE_AS_NEW_INITIATOR_WORKFLOW' }
        : {}),
    });
  }

  /** The workflow's turn: a task is scheduled, picked up by a worker and completed. */
  workflowTask(): this {
    const scheduled = this.add('WorkflowTaskScheduled', { taskQueue: { name: this.taskQueue }, startToCloseTimeout: '10s', attempt: 1 });
    const started = this.add('WorkflowTaskStarted', { scheduledEventId: String(scheduled), identity: 'worker', requestId: `task-${scheduled}` });
    // Core records which of its behaviour flags the first task used; replay needs them.
    const metadata = this.workflowTasks === 0 ? { sdkMetadata: { coreUsedFlags: [1, 2, 3] } } : {};
    this.lastTaskCompleted = this.add('WorkflowTaskCompleted', {
      scheduledEventId: String(scheduled),
      startedEventId: String(started),
      identity: 'worker',
      ...metadata,
    });
    this.workflowTasks += 1;
    return this;
  }

  /** Activities the last workflow task asked for, in the order it asked; returns their event ids. */
  scheduleActivities(types: Array<string | { type: string; input?: unknown }>): number[] {
    return types.map((t) => {
      const { type, input } = typeof t === 'string' ? { type: t, input: undefined } : t;
      this.activities += 1;
      return this.add('ActivityTaskScheduled', {
        activityId: String(this.activities),
        activityType: { name: type },
        taskQueue: { name: this.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
        input: input === undefined ? { payloads: [] } : payloads(input),
        startToCloseTimeout: '60s',
        workflowTaskCompletedEventId: String(this.lastTaskCompleted),
      });
    });
  }

  /** A worker picked the activity up; `attempt` > 1 after server-side retries. */
  startActivity(scheduled: number, retry: { attempt: number; lastFailure?: FailureJson } = { attempt: 1 }): this {
    const started = this.add('ActivityTaskStarted', {
      scheduledEventId: String(scheduled),
      identity: 'worker',
      requestId: `activity-${scheduled}`,
      attempt: retry.attempt,
      ...(retry.lastFailure ? { lastFailure: retry.lastFailure } : {}),
    });
    this.startedOf.set(scheduled, started);
    return this;
  }

  /** Started (unless it was) and completed with `result`. */
  completeActivity(scheduled: number, result?: unknown, retry?: { attempt: number; lastFailure?: FailureJson }): this {
    if (!this.startedOf.has(scheduled)) this.startActivity(scheduled, retry);
    this.add('ActivityTaskCompleted', { result: payloads(result), scheduledEventId: String(scheduled), startedEventId: String(this.startedOf.get(scheduled)) });
    return this;
  }

  /** Started (unless it was) and failed for good: non-retryable, or out of attempts. */
  failActivity(scheduled: number, failure: FailureJson, retry?: { attempt: number; lastFailure?: FailureJson }): this {
    if (!this.startedOf.has(scheduled)) this.startActivity(scheduled, retry);
    this.add('ActivityTaskFailed', {
      failure,
      scheduledEventId: String(scheduled),
      startedEventId: String(this.startedOf.get(scheduled)),
      retryState: failure.applicationFailureInfo.nonRetryable ? 'RETRY_STATE_NON_RETRYABLE_FAILURE' : 'RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED',
    });
    return this;
  }

  completeWorkflow(result?: unknown): HistoryJson {
    this.add('WorkflowExecutionCompleted', { result: payloads(result), workflowTaskCompletedEventId: String(this.lastTaskCompleted) });
    return this.build();
  }

  failWorkflow(failure: FailureJson): HistoryJson {
    this.add('WorkflowExecutionFailed', {
      failure,
      retryState: 'RETRY_STATE_RETRY_POLICY_NOT_SET',
      workflowTaskCompletedEventId: String(this.lastTaskCompleted),
    });
    return this.build();
  }

  /** The workflow continued as new with `input`; the next run's history starts with it. */
  continueAsNew(input: unknown, newExecutionRunId: string): HistoryJson {
    this.add('WorkflowExecutionContinuedAsNew', {
      newExecutionRunId,
      workflowType: { name: this.workflowType },
      taskQueue: { name: this.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      input: payloads(input),
      workflowTaskTimeout: '10s',
      workflowTaskCompletedEventId: String(this.lastTaskCompleted),
      initiator: 'CONTINUE_AS_NEW_INITIATOR_WORKFLOW',
    });
    return this.build();
  }

  build(): HistoryJson {
    return { events: this.events.map((e) => ({ ...e })) };
  }

  private add(type: string, attributes: Record<string, unknown>): number {
    const eventId = this.events.length + 1;
    const camel = type.charAt(0).toLowerCase() + type.slice(1);
    this.events.push({
      eventId: String(eventId),
      eventTime: new Date(this.time).toISOString(),
      eventType: `EVENT_TYPE_${type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`,
      [`${camel}EventAttributes`]: attributes,
    });
    this.time += 1000;
    return eventId;
  }
}
