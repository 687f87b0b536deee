/**
 * The folder the report site is built into (`reports build --out`, `run --site`). A build
 * replaces a folder only when it wrote it itself, which it marks with a file of its own, or
 * when it is empty: `--out ~/Documents` is refused instead of emptied. The new site is copied
 * into a folder beside the target and swapped in with two renames, so the target always holds
 * a complete site: the old one or the new one. A kill between the renames leaves the complete
 * old site beside the target, under `<out>.old-<pid>`, and the next build puts it back first.
 */
import { cpSync, existsSync, lstatSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The file every built site carries: the folder is the report build's to replace. */
export const SITE_MARKER = '.crm-eval-site';

export class SiteTargetError extends Error {
  override name = 'SiteTargetError';
  /** a usage error: the CLI exits 2 */
  readonly exitCode = 2;
}

const isOurs = (dir: string) => {
  try {
    return lstatSync(join(dir, SITE_MARKER)).isFile();
  } catch {
    return false;
  }
};

/** `<out>.tmp-<pid>` and `<out>.old-<pid>` folders a build left beside `out`. */
function leftovers(out: string): Array<{ path: string; kind: 'tmp' | 'old'; pid: number }> {
  const parent = dirname(out);
  if (!existsSync(parent)) return [];
  const pattern = new RegExp(`^${basename(out).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-(\\d+)$`);
  return readdirSync(parent)
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((e) => e.match !== null)
    .map((e) => ({ path: join(parent, e.name), kind: e.match![1] as 'tmp' | 'old', pid: Number(e.match![2]) }));
}

/**
 * Throws SiteTargetError unless `out` is absent, an empty folder or a site this build wrote.
 * Restores a previous site a killed swap left aside, and removes half-built copies.
 */
export function assertSiteTarget(outDir: string): void {
  const out = resolve(outDir);
  recoverInterruptedSwap(out);
  let stat;
  try {
    stat = lstatSync(out);
  } catch {
    return; // absent: it will be created
  }
  if (stat.isSymbolicLink()) throw new SiteTargetError(`${out} is a symbolic link: give the site a folder of its own`);
  if (!stat.isDirectory()) throw new SiteTargetError(`${out} is not a folder: give the site an empty or new folder`);
  if (readdirSync(out).length === 0 || isOurs(out)) return;
  throw new SiteTargetError(
    `${out} is not empty and was not written by the report build (no ${SITE_MARKER} in it): refusing to replace what it holds; give an empty or new folder (a site built by a version before the marker: delete it once)`,
  );
}

function recoverInterruptedSwap(out: string): void {
  // only what a build that is no longer running left (two builds may share a parent folder)
  const dead = leftovers(out).filter((l) => l.pid === process.pid || !isRunning(l.pid));
  const previous = dead.find((l) => l.kind === 'old' && isOurs(l.path));
  if (previous && !existsSync(out)) renameSync(previous.path, out);
  for (const l of dead) {
    if (existsSync(l.path) && (l.kind === 'tmp' || isOurs(l.path))) rmSync(l.path, { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Copies the built site to `out`: into `<out>.tmp-<pid>` first, then swapped in. */
export function swapInSite(built: string, outDir: string): void {
  const out = resolve(outDir);
  assertSiteTarget(out);
  const temporary = `${out}.tmp-${process.pid}`;
  const aside = `${out}.old-${process.pid}`;
  rmSync(temporary, { recursive: true, force: true });
  cpSync(built, temporary, { recursive: true });
  writeFileSync(join(temporary, SITE_MARKER), `${JSON.stringify({ builtBy: 'crm-eval reports build', at: new Date().toISOString() })}\n`);
  if (existsSync(out)) renameSync(out, aside);
  renameSync(temporary, out);
  rmSync(aside, { recursive: true, force: true });
}
