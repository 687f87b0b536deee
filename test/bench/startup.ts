/**
 * Start-up time of commands that touch no data (target: under 0.5 s), measured as whole
 * processes: the median wall time of a few runs, beside a bare `node -e 0` for the machine's own
 * cost, and the same command run from the sources through tsx (CRM_EVAL_FROM_SOURCE=1).
 */
import { spawnSync } from 'node:child_process';

const RUNS = 5;

function median(command: readonly string[], env: NodeJS.ProcessEnv = {}): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, command, { stdio: 'ignore', env: { ...process.env, ...env } });
    if (result.status !== 0) throw new Error(`node ${command.join(' ')} exited ${result.status}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

export interface StartupRow {
  command: string;
  seconds: number;
  fromSource: number;
}

export function startupTimes(): { node: number; rows: StartupRow[] } {
  const node = median(['-e', '0']);
  const rows = [['--help'], ['--version'], ['contracts']].map((args) => ({
    command: `crm-eval ${args.join(' ')}`,
    seconds: median(['bin/crm-eval.js', ...args]),
    fromSource: median(['bin/crm-eval.js', ...args], { CRM_EVAL_FROM_SOURCE: '1' }),
  }));
  return { node, rows };
}
