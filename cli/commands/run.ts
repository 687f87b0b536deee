import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../config/load.ts';
import { findExample, prepareExample } from '../../sources/examples/catalog.ts';
import type { ExampleServices } from '../../sources/examples/example.ts';
import type { Config } from '../../config/schema.ts';
import { runPipeline } from '../../workflows/embedded/pipeline.ts';
import { pipelinePlan } from '../../workflows/plan.ts';
import { entities } from '../../sources/catalog.ts';
import { validateRunId } from '../../workflows/run-id.ts';
import { assertSiteTarget } from '../../reports/evidence/site-dir.ts';
import { createReporter, summary } from '../reporter.ts';

export interface RunFlags {
  data: string;
  warehouse: string;
  config?: string;
  skipReports?: boolean;
  site?: string;
  runId?: string;
  example?: string;
}

export async function runCommand(flags: RunFlags): Promise<void> {
  if (flags.runId !== undefined) validateRunId(flags.runId, '--run-id');
  const loaded = loadConfig(flags.config);
  let { config } = loaded;
  const { file } = loaded;
  let services: ExampleServices | undefined;
  if (flags.example) {
    // An example brings its own data folder, warehouse and the settings its marts need.
    const example = findExample(flags.example);
    flags = { ...flags, data: join('data', 'examples', example.name), warehouse: join('data', 'examples', `${example.name}.duckdb`) };
    console.log(`Example ${example.name}: ${example.description}`);
    await prepareExample(example, flags.data);
    config = parseConfig({ ...config, ...example.config }, `example ${example.name} settings`);
    if (example.serve) {
      services = await example.serve(flags.data);
      for (const line of services.lines) console.log(`  ${line}`);
      Object.assign(process.env, services.env);
      config = parseConfig({ ...config, sources: { ...config.sources, ...services.sources } }, `example ${example.name} sources`);
    }
  }
  // Examples write their own warehouse; the report site is built from the main one.
  const reports = !flags.skipReports && !flags.example;
  // Refused now rather than after the whole run: a --site folder the report build did not write.
  if (reports) assertSiteTarget(flags.site ?? 'build');
  try {
    await runWith(flags, config, file, reports);
  } finally {
    await services?.stop();
  }
}

async function runWith(flags: RunFlags, config: Config, file: string | null, reports: boolean): Promise<void> {
  const steps = pipelinePlan({ entities, reports }).length;
  console.log(`Running the pipeline: data ${flags.data}, warehouse ${flags.warehouse}, configuration ${file ?? '(defaults)'}`);
  const reporter = createReporter(steps);
  const result = await runPipeline({
    dataDir: flags.data,
    warehousePath: flags.warehouse,
    config,
    runId: flags.runId,
    reports,
    siteDir: flags.site,
    events: reporter,
  });
  console.log(`\n${summary(result)}`);
  if (result.status !== 'succeeded') {
    throw Object.assign(new Error(`run ${result.runId} failed:\n${result.error}`), { exitCode: 1 });
  }
}
