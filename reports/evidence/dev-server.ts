/**
 * `crm-eval reports dev`: Evidence's dev server on the assembled project over the published
 * snapshot, so an edit to a page shows in the browser in seconds instead of a site build.
 * Pages are not symlinked: assembly applies the labels, so each change under reports/ (a page,
 * or labels.yaml for all of them) is labelled again into the project's pages/, where Evidence's
 * own watcher takes it to the dev server. The project folder is its own (.evidence/dev), so a
 * `reports build` while it runs does not pull it from under the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { assembleProject, isReportPage, labelledPage, PROJECT, siteLabels } from './assemble.ts';
import { evidence, evidenceCli } from './build-site.ts';
import type { Language } from './labels.ts';

export interface DevOptions {
  snapshot: string;
  language: Language;
  currency?: string;
  root?: string;
  projectDir?: string;
  port?: number;
  host?: string;
  /** each line Evidence prints, and each page rewritten or refused */
  onLine?: (line: string) => void;
}

export interface DevServer {
  url: string;
  /** Evidence's process, leader of the group the dev server runs in */
  pid: number;
  close(): Promise<void>;
}

export async function startDevServer(options: DevOptions): Promise<DevServer> {
  const root = resolve(options.root ?? '.');
  const projectDir = resolve(options.projectDir ?? join(root, '.evidence', 'dev'));
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 3000;
  const say = options.onLine ?? (() => {});
  await assembleProject({ root, projectDir, snapshot: options.snapshot, language: options.language, currency: options.currency });
  const sources = await evidence(['sources', '--strict'], projectDir, options.onLine);
  if (sources.code !== 0) throw new Error(`evidence sources failed (exit ${sources.code}):\n${sources.output.slice(-2000)}`);

  const watcher = watchPages(root, projectDir, options, say);
  // Evidence's dev command runs `vite dev --port 3000` in a shell and adds its own arguments
  // after it: vite takes the last --port. Its own group, so that closing ends vite too.
  const child = spawn(process.execPath, [evidenceCli(), 'dev', '--port', String(port), '--host', host, '--strictPort'], {
    cwd: projectDir,
    env: { ...process.env, NODE_ENV: 'development', NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // detached, the group would outlive a crash of this process: end it when this process ends
  const orphanGuard = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone already
    }
  };
  process.once('exit', orphanGuard);
  const url = `http://${host}:${port}`;
  const close = () => stop(child, watcher).then(() => void process.off('exit', orphanGuard));
  try {
    await waitForServer(child, url, say);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, pid: child.pid!, close };
}

/** Labels each changed page of reports/ into the project; a page with an unknown label keeps its last version. */
function watchPages(root: string, projectDir: string, options: DevOptions, say: (line: string) => void): FSWatcher {
  const pagesDir = join(root, PROJECT.pages);
  const write = (page: string) => {
    const target = join(projectDir, 'pages', page);
    if (!existsSync(join(pagesDir, page))) return rmSync(target, { force: true });
    try {
      const text = labelledPage(root, page, siteLabels(root, options.currency), options.language);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
      say(`reports/${page} → dev server`);
    } catch (error) {
      say(`reports/${page} not updated: ${(error as Error).message}`);
    }
  };
  return watch(pagesDir, { recursive: true }, (_event, file) => {
    if (!file) return;
    if (file === 'labels.yaml') {
      for (const page of assembledPages(projectDir)) write(page);
    } else if (isReportPage(file.split('/').pop()!) && !/^(evidence|components)\//.test(file)) write(file);
  });
}

/** The pages assembled into the project (relative paths). */
function assembledPages(projectDir: string): string[] {
  const dir = join(projectDir, 'pages');
  return existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')) : [];
}

/** Resolves once the server answers; rejects if Evidence exits first. */
function waitForServer(child: ChildProcess, url: string, say: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    let done = false;
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) say(line);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.once('exit', (code) => {
      if (!done) reject(new Error(`evidence dev exited (code ${code}) before serving ${url}:\n${output}`));
      done = true;
    });
    const poll = async () => {
      if (done) return;
      try {
        await fetch(url, { signal: AbortSignal.timeout(5_000) });
        done = true;
        resolvePromise();
      } catch {
        setTimeout(poll, 500);
      }
    };
    void poll();
  });
}

/** Ends Evidence, its shell and vite (the whole process group), and the page watcher. */
function stop(child: ChildProcess, watcher: FSWatcher): Promise<void> {
  watcher.close();
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // the group is gone already
      }
    };
    const hard = setTimeout(() => kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(hard);
      // vite may outlive the CLI that started it: end the rest of the group, and return once it is gone
      kill('SIGKILL');
      const gone = () => {
        try {
          process.kill(-child.pid!, 0);
          setTimeout(gone, 100);
        } catch {
          resolvePromise();
        }
      };
      gone();
    });
    kill('SIGTERM');
  });
}
