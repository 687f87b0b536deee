/**
 * TypeScript loading (tsx) switched on once, when a command first needs a module. It costs about
 * a second to start (a hooks thread and an esbuild process), so bin/crm-eval.js runs this command
 * line precompiled without it when it can, and --help or --version never pay for it.
 */
const REGISTERED = Symbol.for('crm-eval.tsx-registered');

export async function typescript(): Promise<void> {
  const state = globalThis as { [REGISTERED]?: boolean };
  if (state[REGISTERED]) return;
  const { register } = await import('tsx/esm/api');
  register();
  state[REGISTERED] = true;
}

/** Imports a command's module, TypeScript loading first. */
export async function load<T>(module: () => Promise<T>): Promise<T> {
  await typescript();
  return module();
}
