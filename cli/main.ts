/**
 * The `crm-eval` command line. Each command is a thin shell over the pipeline's modules:
 * parse flags, load the configuration, call, print, choose the exit code.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { generateCommand } from './commands/generate.ts';
import { runCommand } from './commands/run.ts';
import { startCommand } from './commands/start.ts';
import { DEFAULT_WAREHOUSE } from '../warehouse/warehouse.ts';
import { DEFAULT_DATA_DIR, DEFAULT_SCALE, DEFAULT_SEED } from './defaults.ts';

const program = new Command()
  .name('crm-eval')
  .description('Prove, with your own data, whether your CRM made customer service better.')
  .showHelpAfterError();

const integer = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new InvalidArgumentError('expected an integer');
  return parsed;
};

program
  .command('generate')
  .description('write the reference company (every source entity, with planted CRM effects) as files')
  .option('--out <dir>', 'output folder', DEFAULT_DATA_DIR)
  .option('--scale <customers>', 'number of customers, e.g. 5000, 50k, 1M (about 7-8 orders each)', DEFAULT_SCALE)
  .option('--seed <n>', 'random seed; the same seed gives the same bytes', integer, DEFAULT_SEED)
  .addOption(new Option('--format <format>', 'file format').choices(['csv', 'parquet']).default('csv'))
  .option('--clean', 'no planted data defects (every row passes its contract)')
  .option('--config <file>', 'configuration file (go-live date, control group)')
  .action(generateCommand);

const runOptions = (command: Command) =>
  command
    .option('--data <dir>', 'folder with <source>/<entity>.csv|parquet|jsonl files', DEFAULT_DATA_DIR)
    .option('--warehouse <file>', 'DuckDB working warehouse', DEFAULT_WAREHOUSE)
    .option('--config <file>', 'configuration file (default: crm-eval.config.yaml if present)')
    .option('--skip-reports', 'do not build the report site')
    .option('--run-id <id>', 'rerun with this run id: its loads are replaced, never duplicated');

runOptions(program.command('run').description('extract → validate/load → transform → data tests → publish, in this process')).action(runCommand);

runOptions(
  program
    .command('start')
    .description('the main job: generate the reference company if absent, then run the whole pipeline in this process'),
).action(startCommand);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`crm-eval: ${(error as Error).message}`);
  if (process.env.DEBUG) console.error(error);
  process.exitCode = (error as { exitCode?: number }).exitCode ?? 1;
}
