#!/usr/bin/env node
// Precompiles the command line (cli/main.ts: commander and the flag definitions, no command) to
// cli/main.compiled.mjs, so that bin/crm-eval.js starts it without tsx (see cli/typescript.ts).
// Runs after npm install; bin/crm-eval.js falls back to the sources whenever one is newer.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = await build({
  entryPoints: [`${root}cli/main.ts`],
  outfile: `${root}cli/main.compiled.mjs`,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  absWorkingDir: root,
  metafile: true,
  logLevel: 'warning',
  plugins: [
    {
      // the commands stay TypeScript, imported as written once tsx is on: the compiled file
      // sits next to main.ts, so the relative paths still point at them
      name: 'commands-stay-lazy',
      setup(build) {
        build.onResolve({ filter: /\.ts$/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
      },
    },
  ],
});
const inputs = Object.keys(result.metafile.inputs);
writeFileSync(`${root}cli/main.compiled.json`, `${JSON.stringify({ inputs }, null, 2)}\n`);
console.log(`cli/main.compiled.mjs from ${inputs.join(', ')}`);
