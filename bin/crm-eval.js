#!/usr/bin/env node
// The `crm-eval` command. The project is written in TypeScript and run as-is through tsx's
// loader, so a clone works right after `npm install` with no build step. The command line itself
// runs precompiled (bin/build-cli.js) when that is up to date: tsx then starts only for a command
// that needs it, and --help takes a plain Node start instead of a second more.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

/** Whether cli/main.compiled.mjs is newer than every source it was built from. */
function compiledIsCurrent() {
  try {
    const built = statSync(new URL('cli/main.compiled.mjs', root)).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(new URL('cli/main.compiled.json', root), 'utf8'));
    return inputs.every((input) => statSync(new URL(input, root)).mtimeMs <= built);
  } catch {
    return false;
  }
}

if (compiledIsCurrent() && !process.env.CRM_EVAL_FROM_SOURCE) {
  await import('../cli/main.compiled.mjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  globalThis[Symbol.for('crm-eval.tsx-registered')] = true; // so cli/typescript.ts does not register it again
  await import('../cli/main.ts');
}
