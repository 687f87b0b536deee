/**
 * One pipeline run for the benchmark, in its own process so its peak memory is its own.
 * Prints one JSON line: seconds per step kind, rows, peak RSS, and each model's build.
 */
import { parseConfig } from '../../config/load.ts';
import { runPipeline } from '../../workflows/embedded/pipeline.ts';
import type { ExtractOutput, TransformOutput } from '../../workflows/activities.ts';
import { stepGroup } from '../../workflows/plan.ts';

const [dataDir, warehousePath] = process.argv.slice(2);
if (!dataDir || !warehousePath) throw new Error('usage: run-pipeline.ts DATA_DIR WAREHOUSE');

const result = await runPipeline({ dataDir, warehousePath, config: parseConfig({}) });
if (result.status !== 'succeeded') throw new Error(result.error);
const seconds: Record<string, number> = {};
for (const o of result.outcomes) seconds[stepGroup(o.step)] = (seconds[stepGroup(o.step)] ?? 0) + o.seconds;
const rowsRead = result.outcomes
  .filter((o) => o.step.kind === 'extract')
  .reduce((sum, o) => sum + (o.output as ExtractOutput).rowsRead, 0);
const models = result.outcomes.filter((o) => o.step.kind === 'transform').flatMap((o) => (o.output as TransformOutput).models);
console.log(JSON.stringify({ seconds, total: result.seconds, rowsRead, peakMb: process.resourceUsage().maxRSS / 1024, models }));
