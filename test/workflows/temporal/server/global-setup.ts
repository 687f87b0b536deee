/**
 * One real Temporal dev server for the whole test run (vitest global setup): started on a free
 * loopback port before any test, stopped after the last one, also when tests fail or the run
 * is interrupted. Without the Temporal CLI the server tests are skipped with one line saying how
 * to get it, unless CRM_EVAL_REQUIRE_TEMPORAL=1 (CI) makes that a failure.
 *
 * The server and every worker the tests start (harness.ts) carry CRM_EVAL_TEST_SESSION in their
 * environment; at the end, any such process still alive fails the run, by name.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findTemporalCli, startDevServer, TEMPORAL_CLI_HINT, type DevServer } from '../../../../workflows/temporal/dev-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the dev server's address, or why there is none */
    temporal: { address: string; cli: string; session: string } | { skipped: string; session: string };
  }
}

export const SESSION_VARIABLE = 'CRM_EVAL_TEST_SESSION';

export default async function setup(project: TestProject) {
  const session = randomUUID();
  const cli = findTemporalCli();
  if (!cli) {
    const why = `Temporal CLI not found: the real-server tests are skipped; ${TEMPORAL_CLI_HINT}`;
    if (process.env.CRM_EVAL_REQUIRE_TEMPORAL === '1') throw new Error(`CRM_EVAL_REQUIRE_TEMPORAL=1 but ${why}`);
    console.warn(why);
    project.provide('temporal', { skipped: why, session });
    return () => assertNothingLeft(session);
  }
  const server: DevServer = await startDevServer({
    cli,
    logFile: join(tmpdir(), `crm-eval-temporal-${session}.log`),
    env: { ...process.env, [SESSION_VARIABLE]: session },
  });
  project.provide('temporal', { address: server.address, cli, session });
  // An interrupted run (Ctrl-C, a CI timeout) still stops the server.
  const onSignal = (signal: NodeJS.Signals) => {
    process.kill(server.pid, 'SIGKILL');
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await server.stop();
    await assertNothingLeft(session);
  };
}

/** Fails the run if a process started by it is still alive (and ends it). */
async function assertNothingLeft(session: string): Promise<void> {
  // A process that was just signalled may take a moment to go.
  for (let tries = 0; tries < 20; tries++) {
    if (survivors(session).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const left = survivors(session);
  for (const { pid } of left) process.kill(pid, 'SIGKILL');
  throw new Error(`processes started by the tests were still running (killed now):\n${left.map((p) => `  ${p.pid} ${p.command}`).join('\n')}`);
}

function survivors(session: string): Array<{ pid: number; command: string }> {
  if (!existsSync('/proc')) return []; // not Linux: nothing to look at
  const marker = `${SESSION_VARIABLE}=${session}`;
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker)) continue;
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
      if (state === 'Z') continue; // exited, waiting to be reaped
      found.push({ pid, command: readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ').trim() });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}
