/**
 * The `crm-eval` command line. Each command is a thin shell over the pipeline's modules:
 * parse flags, load the configuration, call, print, choose the exit code.
 */
import { readFileSync } from 'node:fs';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { exitWhenDone, temporalOptions } from './commands/temporal-options.ts';
import { DEFAULT_DATA_DIR, DEFAULT_SCALE, DEFAULT_SEED, DEFAULT_SITE_DIR, DEFAULT_WAREHOUSE } from './defaults.ts';
import { load } from './typescript.ts';
import { EFFECTS_SCENARIOS } from '../sources/reference-company/effects.ts';

// Every command module is imported inside its action, never here: --help, --version and the
// commands that touch no data then start without loading DuckDB, Temporal or Evidence (and,
// precompiled by bin/build-cli.js, without tsx: see cli/typescript.ts).
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command()
  .name('crm-eval')
  .description('Prove, with your own data, whether your CRM made customer service better.')
  .version(version)
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
  .addOption(new Option('--effects <scenario>', 'planted: the CRM effects of known size; none: no CRM effect at all (the null scenario)').choices(EFFECTS_SCENARIOS).default('planted'))
  .option('--config <file>', 'configuration file (go-live date, control group)')
  .addOption(new Option('--rollout <design>', 'waves: a staggered go-live region by region (writes the configuration to analyse it with)').choices(['waves']))
  .action(async (flags) => (await load(() => import('./commands/generate.ts'))).generateCommand(flags));

const runOptions = (command: Command) =>
  command
    .option('--data <dir>', 'folder with <source>/<entity>.csv|parquet|jsonl files', DEFAULT_DATA_DIR)
    .option('--warehouse <file>', 'DuckDB working warehouse', DEFAULT_WAREHOUSE)
    .option('--config <file>', 'configuration file (default: crm-eval.config.yaml if present)')
    .option('--skip-reports', 'do not build the report site')
    .option('--site <dir>', 'where the report site is built', DEFAULT_SITE_DIR)
    .option('--run-id <id>', 'rerun with this run id: its loads are replaced, never duplicated')
    .option('--example <name>', 'map a real data set from ../shared/datasets onto the contract and run on it (cdnow, support-tickets, servicenow, telco, hr); writes data/examples/<name>.duckdb');

runOptions(program.command('run').description('extract → validate/load → transform → data tests → publish, in this process')).action(async (flags) =>
  (await load(() => import('./commands/run.ts'))).runCommand(flags),
);

temporalOptions(
  runOptions(
    program
      .command('start')
      .description(
        'the main job: generate the reference company if absent, then run the whole pipeline in this process; ' +
          'with nightly or backfill, start that workflow on Temporal instead (a worker runs it; --data is then a folder on the worker host, default its own)',
      )
      .addArgument(new Argument('[workflow]', 'a Temporal workflow to start').choices(['nightly', 'backfill']))
      .option('--from <date>', 'backfill: first day re-extracted (ISO date)')
      .option('--to <date>', 'backfill: first day NOT re-extracted (ISO date, exclusive)'),
  ),
).action(async (workflow: 'nightly' | 'backfill' | undefined, flags, command: Command) => {
  if (!workflow) return (await load(() => import('./commands/start.ts'))).startCommand(flags);
  const data = command.getOptionValueSource('data') === 'cli' ? flags.data : undefined;
  const { startWorkflowCommand } = await load(() => import('./commands/start-workflow.ts'));
  return exitWhenDone(startWorkflowCommand)(workflow, { ...flags, data });
});

const reports = program.command('reports').description('the Evidence report site, built from the published snapshot');
const reportsOptions = (command: Command) =>
  command
    .option('--warehouse <file>', 'DuckDB working warehouse; the site reads its published snapshot', DEFAULT_WAREHOUSE)
    .option('--out <dir>', 'site folder', DEFAULT_SITE_DIR)
    .option('--config <file>', 'configuration file (language of the labels)');
reportsOptions(reports.command('build').description('build the static site (offline) into --out')).action(async (flags) =>
  (await load(() => import('./commands/reports.ts'))).reportsBuildCommand(flags),
);
reports
  .command('check')
  .description('run the SQL of report pages against the published snapshot in seconds, without a build; exit 1 on any error')
  .argument('[pages...]', 'pages to check (reports/x.md, x.md or x); all by default', [])
  .option('--warehouse <file>', 'DuckDB working warehouse; the pages read its published snapshot', DEFAULT_WAREHOUSE)
  .option('--config <file>', 'configuration file (language of the labels)')
  .action(async (pages: string[], flags) => (await load(() => import('./commands/reports.ts'))).reportsCheckCommand(pages, flags));
reports
  .command('dev')
  .description('Evidence’s dev server over the published snapshot: an edit to reports/*.md shows in the browser in seconds')
  .option('--warehouse <file>', 'DuckDB working warehouse; the pages read its published snapshot', DEFAULT_WAREHOUSE)
  .option('--config <file>', 'configuration file (language of the labels)')
  .option('--port <n>', 'port', integer, 3000)
  .action(async (flags) => (await load(() => import('./commands/reports.ts'))).reportsDevCommand(flags));
reportsOptions(reports.command('serve').description('preview the built site on localhost (what is on disk now, also after a rebuild)'))
  .option('--port <n>', 'port', integer, 3000)
  .action(async (flags) => (await load(() => import('./commands/reports.ts'))).reportsServeCommand(flags));

program
  .command('contracts')
  .description("each source entity's contract: columns, types, required or not, allowed values, key and description")
  .option('--entity <name>', 'only this entity, e.g. crm.tickets')
  .addOption(new Option('--format <format>', 'markdown to read, json-schema to validate an export with').choices(['markdown', 'json-schema']).default('markdown'))
  .action(async (flags) => (await load(() => import('./commands/contracts.ts'))).contractsCommand(flags));

const sources = program.command('sources').description('the configured sources of entities that are not files (databases)');
sources
  .command('check')
  .description('connect to every configured source, check auth and that each mapping finds its fields; one row per entity')
  .option('--config <file>', 'configuration file (default: crm-eval.config.yaml if present)')
  .action(async (flags) => (await load(() => import('./commands/sources.ts'))).sourcesCheckCommand(flags));

temporalOptions(
  program
    .command('dev')
    .description(
      'the main job through Temporal on this machine: a local dev server (from the Temporal CLI, unless --address is given), ' +
        'a worker, the nightly schedule applied and triggered, the run followed to the end; then everything stops',
    )
    .option('--data <dir>', 'folder with <source>/<entity>.csv|parquet|jsonl files (generated when it has no manifest)', DEFAULT_DATA_DIR)
    .option('--warehouse <file>', 'DuckDB working warehouse', DEFAULT_WAREHOUSE)
    .option('--config <file>', 'configuration file (default: crm-eval.config.yaml if present)')
    .option('--skip-reports', 'do not build the report site')
    .option('--site <dir>', 'where the report site is built', DEFAULT_SITE_DIR),
).action(exitWhenDone(async (flags) => (await load(() => import('./commands/dev.ts'))).devCommand(flags)));

temporalOptions(
  program
    .command('worker')
    .description('run a Temporal worker: the workflows and the activities (extract, transform, test, publish) until SIGINT/SIGTERM')
    .option('--warehouse <file>', 'DuckDB working warehouse (this worker owns it: run its activities on this host only)', DEFAULT_WAREHOUSE)
    .option('--data <dir>', 'data folder of runs that name none', DEFAULT_DATA_DIR)
    .option('--site <dir>', 'where runs build the report site', DEFAULT_SITE_DIR)
    .option('--config <file>', 'configuration file (default: crm-eval.config.yaml if present)')
    .addOption(new Option('--role <role>', 'workflows: any host; activities: the warehouse host; all: both').choices(['all', 'workflows', 'activities']).default('all'))
    .option('--workflow-bundle <file>', 'prebuilt workflow code (crm-eval bundle-workflows; TEMPORAL_WORKFLOW_BUNDLE)')
    .option('--max-activities <n>', 'activities run at once', integer, 8)
    .option('--deployment-name <name>', 'Worker Versioning: the deployment this worker belongs to (TEMPORAL_DEPLOYMENT_NAME)')
    .option('--build-id <id>', 'Worker Versioning: this worker\'s version; runs stay on the version they started on (TEMPORAL_WORKER_BUILD_ID)'),
).action(exitWhenDone(async (flags) => (await load(() => import('./commands/worker.ts'))).workerCommand(flags)));

temporalOptions(
  program.command('status').description('state and progress of a Temporal run (steps done, running, failed; rows so far)').argument('<run>', 'run id (the workflow id)'),
).action(exitWhenDone(async (run: string, flags) => (await load(() => import('./commands/status.ts'))).statusCommand(run, flags)));

temporalOptions(
  program
    .command('schedule')
    .description('the nightly schedule as code: apply creates or updates it from the configuration (cron, time zone, catch-up window)')
    .addArgument(new Argument('<action>').choices(['apply', 'describe', 'pause', 'unpause', 'trigger', 'delete']))
    .option('--config <file>', 'configuration file (default: crm-eval.config.yaml if present)')
    .option('--note <text>', 'pause/unpause: why')
    .option('--skip-reports', 'apply: the nightly runs do not build the report site'),
).action(exitWhenDone(async (action, flags) => (await load(() => import('./commands/schedule.ts'))).scheduleCommand(action, flags)));

program
  .command('replay')
  .description('replay recorded workflow histories against this version of the workflow code (before rollout)')
  .argument('[paths...]', 'history JSON files or folders', [])
  .option('--bundle <file>', 'replay against a prebuilt workflow bundle instead')
  .action(exitWhenDone(async (paths: string[], flags) => (await load(() => import('./commands/replay.ts'))).replayCommand(paths, flags)));

program
  .command('bundle-workflows')
  .description('write the workflow code as one bundle for production workers (--workflow-bundle)')
  .option('--out <file>', 'bundle file', 'dist/workflow-bundle.js')
  .action(exitWhenDone(async (flags) => (await load(() => import('./commands/replay.ts'))).bundleCommand(flags)));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`crm-eval: ${(error as Error).message}`);
  if (process.env.DEBUG) console.error(error);
  process.exitCode = (error as { exitCode?: number }).exitCode ?? 1;
}
