import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SCALE, DEFAULT_SEED } from '../defaults.ts';
import { generateCommand } from './generate.ts';
import { runCommand, type RunFlags } from './run.ts';
import { validateRunId } from '../../workflows/run-id.ts';

/** `npm start`: the reference company is generated once, then the whole pipeline runs. */
export async function startCommand(flags: RunFlags): Promise<void> {
  if (flags.runId !== undefined) validateRunId(flags.runId, '--run-id');
  if (!existsSync(join(flags.data, 'manifest.json'))) {
    await generateCommand({ out: flags.data, scale: DEFAULT_SCALE, seed: DEFAULT_SEED, format: 'csv', config: flags.config });
  } else {
    console.log(`Using the data in ${flags.data} (delete it to generate it again).`);
  }
  await runCommand(flags);
}
