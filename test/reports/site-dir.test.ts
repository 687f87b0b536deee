/**
 * Where the site goes. A build replaces only a folder it wrote itself (it carries our marker)
 * or an empty one; anything else is refused before Evidence runs. The new site is built beside
 * the folder and swapped in with renames, so a reader (or a kill) never meets half a site.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite } from '../../reports/evidence/build-site.ts';
import { assertSiteTarget, SITE_MARKER, SiteTargetError, swapInSite } from '../../reports/evidence/site-dir.ts';
import { tempDir, writeFile } from '../fixtures/csv.ts';

/** A built site as Evidence leaves it, in a folder of its own. */
function builtSite(title: string): string {
  const dir = join(tempDir(), 'build');
  writeFile(join(dir, 'index.html'), `<h1>${title}</h1>`);
  writeFile(join(dir, 'data', 'manifest.json'), '{}');
  return dir;
}

describe('the site folder', () => {
  it('refuses a folder it did not write, naming it, and leaves it as it was', async () => {
    const out = join(tempDir(), 'my-documents');
    writeFile(join(out, 'thesis.docx'), 'years of work');
    expect(() => assertSiteTarget(out)).toThrow(SiteTargetError);
    // buildSite refuses before it assembles anything (here there is not even a snapshot)
    await expect(buildSite({ snapshot: join(tempDir(), 'none.duckdb'), out, language: 'en' })).rejects.toThrow(
      `${out} is not empty and was not written by the report build (no ${SITE_MARKER} in it): refusing to replace what it holds; give an empty or new folder`,
    );
    expect(readFileSync(join(out, 'thesis.docx'), 'utf8')).toBe('years of work');
  });

  it('refuses a file, and a folder whose marker is a symlink or a folder', () => {
    const file = writeFile(join(tempDir(), 'site'), 'a file');
    expect(() => assertSiteTarget(file)).toThrow(/is not a folder/);
    const fake = join(tempDir(), 'site');
    mkdirSync(join(fake, SITE_MARKER), { recursive: true });
    expect(() => assertSiteTarget(fake)).toThrow(SiteTargetError);
  });

  it('accepts a new folder, an empty one and one it built', () => {
    expect(() => assertSiteTarget(join(tempDir(), 'new'))).not.toThrow();
    expect(() => assertSiteTarget(tempDir())).not.toThrow();
    const out = join(tempDir(), 'site');
    swapInSite(builtSite('v1'), out);
    expect(() => assertSiteTarget(out)).not.toThrow();
  });

  it('swaps the new site in whole and leaves nothing beside it', () => {
    const parent = tempDir();
    const out = join(parent, 'site');
    swapInSite(builtSite('v1'), out);
    writeFile(join(out, 'old-page', 'index.html'), 'gone in v2');
    swapInSite(builtSite('v2'), out);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('<h1>v2</h1>');
    expect(existsSync(join(out, 'old-page'))).toBe(false);
    expect(existsSync(join(out, SITE_MARKER))).toBe(true);
    expect(readdirSync(parent)).toEqual(['site']);
  });

  it('after a kill during the swap, the next build finds the complete previous site and cleans up', () => {
    const parent = tempDir();
    const out = join(parent, 'site');
    swapInSite(builtSite('v1'), out);
    // killed after moving the old site aside, before the new one was renamed in
    renameSync(out, join(parent, 'site.old-99999'));
    swapInSite(builtSite('half'), join(parent, 'site.tmp-99999')); // a half-finished copy of a build
    expect(existsSync(out)).toBe(false);

    assertSiteTarget(out); // the next build starts: the previous site is back
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('<h1>v1</h1>');
    swapInSite(builtSite('v2'), out);
    expect(readdirSync(parent)).toEqual(['site']);
  });

  it('never follows a symlinked site folder into what it points at', () => {
    const parent = tempDir();
    const elsewhere = join(parent, 'elsewhere');
    writeFile(join(elsewhere, 'keep.txt'), 'keep');
    symlinkSync(elsewhere, join(parent, 'site'));
    expect(() => assertSiteTarget(join(parent, 'site'))).toThrow(/is a symbolic link/);
    expect(readFileSync(join(elsewhere, 'keep.txt'), 'utf8')).toBe('keep');
  });
});
