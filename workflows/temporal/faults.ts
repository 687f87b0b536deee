/**
 * Faults on purpose, for testing the pipeline on a real Temporal server: a worker started with
 * CRM_EVAL_FAULTS=<file.json> fails or pauses the activities that file names, for real, inside
 * the worker, so the server sees exactly what a crash, a transient error or a slow step looks
 * like. Never set in production; without the variable nothing here runs.
 *
 *   [{ "activity": "extractEntity", "entity": "tickets", "attempts": [1], "fail": "after" },
 *    { "activity": "buildModels", "layer": "marts", "pauseMs": 20000, "at": "after" }]
 *
 * - `fail: "before"`: the attempt throws before doing anything; `"after"`: it does its work
 *   (commits its rows) and then throws, so the retry must replace what it wrote.
 * - `pauseMs` with `at: "before"|"after"`: the attempt waits that long (heartbeating, and
 *   cancellable) before or after its work: a long step to kill a worker in.
 * - `attempts`: which attempts the rule applies to (default every attempt).
 * The file is read at each activity start, so a test may change it while a worker runs.
 */
import { readFileSync } from 'node:fs';

export interface FaultRule {
  activity: string;
  /** extractEntity only: the entity, e.g. "tickets" */
  entity?: string;
  /** buildModels only: "staging" or "marts" */
  layer?: string;
  attempts?: number[];
  fail?: 'before' | 'after';
  pauseMs?: number;
  at?: 'before' | 'after';
}

export const FAULTS_VARIABLE = 'CRM_EVAL_FAULTS';

/** The rules that apply to this activity attempt (none without CRM_EVAL_FAULTS). */
export function faultsFor(activity: string, input: unknown, attempt: number, env: NodeJS.ProcessEnv = process.env): FaultRule[] {
  const file = env[FAULTS_VARIABLE];
  if (!file) return [];
  const rules = JSON.parse(readFileSync(file, 'utf8')) as FaultRule[];
  const given = (input ?? {}) as { entity?: string; layer?: string };
  return rules.filter(
    (rule) =>
      rule.activity === activity &&
      (rule.entity === undefined || rule.entity === given.entity) &&
      (rule.layer === undefined || rule.layer === given.layer) &&
      (rule.attempts === undefined || rule.attempts.includes(attempt)),
  );
}

export class InjectedFault extends Error {
  override name = 'InjectedFault';
}
