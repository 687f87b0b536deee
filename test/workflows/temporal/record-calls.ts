/**
 * Workflow code for tests: an interceptor that reports every activity the workflow schedules,
 * with its input, through a sink that is also called during replay. Bundled into the workflow
 * code by same-steps.test.ts; like any workflow code it imports only @temporalio/workflow.
 */
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export interface CallSinks extends Sinks {
  calls: { scheduled(activity: string, input: unknown): void };
}

const { calls } = proxySinks<CallSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleActivity(input, next) {
        calls.scheduled(input.activityType, input.args[0]);
        return next(input);
      },
    },
  ],
});
