/**
 * One extract step in a process of its own (extract-child.ts), for the crash tests: its
 * progress lines collected as they come, so a test can kill it at a chosen page.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** The extract step in a child process (extract-child.ts), its progress lines collected. */
export function runChild(env: Record<string, string>): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'test/sources/connectors/extract-child.ts'], {
    env: { ...process.env, ...env, TSX_DISABLE_CACHE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  child.stdout!.on('data', (data: Buffer) => {
    buffered += data.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
  });
  let stderr = '';
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString('utf8')));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (buffered) lines.push(buffered);
      if (code !== 0 && code !== null) lines.push(`STDERR ${stderr}`);
      resolve(code);
    }),
  );
  return { child, lines, exited };
}


/** SIGKILLs the child once it reports `page N` (committed, still reading); fails if it ends first. */
export async function killAtPage(run: ReturnType<typeof runChild>, page: number): Promise<void> {
  const pattern = new RegExp(` page ${page}, `);
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (run.lines.some((l) => pattern.test(l))) {
        clearInterval(timer);
        run.child.kill('SIGKILL');
        resolve();
      } else if (run.child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`the extract ended before it could be killed:\n${run.lines.join('\n')}`));
      }
    }, 5);
  });
  await run.exited;
}
