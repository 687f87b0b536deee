/** A copy of the project whose reports/ holds only the given pages: a fast site build for a test. */
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../fixtures/csv.ts';

export function projectWithPages(pages: Record<string, string>): string {
  const root = tempDir('crm-eval-root-');
  for (const path of ['sources/marts', 'evidence.config.yaml', 'package.json', 'reports/labels.yaml']) cpSync(path, join(root, path), { recursive: true });
  for (const [name, text] of Object.entries(pages)) {
    mkdirSync(join(root, 'reports'), { recursive: true });
    writeFileSync(join(root, 'reports', name), text);
  }
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}
