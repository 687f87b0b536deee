/**
 * What a run shows: a spinner with the current step on a terminal, plain timestamped lines in
 * CI or a pipe, and at the end a summary table (rows per entity, quarantined, time per step).
 */
import Table from 'cli-table3';
import ora, { type Ora } from 'ora';
import type { ExtractOutput, TestOutput, TransformOutput } from '../workflows/activities.ts';
import type { RunEvents, RunResult, StepOutcome } from '../workflows/embedded/runner.ts';
import { stepGroup, type PlanStep } from '../workflows/plan.ts';

const n = (value: number) => value.toLocaleString('en-US');

/** A spinner only on a real terminal (a zero-width pseudo-terminal makes it redraw forever). */
export function interactive(): boolean {
  return Boolean(process.stdout.isTTY) && (process.stdout.columns ?? 0) > 0 && !process.env.CI;
}

export function createReporter(totalSteps: number, out: NodeJS.WriteStream = process.stdout): RunEvents & { progress(message: string): void } {
  let done = 0;
  let spinner: Ora | null = null;
  let current: PlanStep | null = null;
  const label = (step: PlanStep) => `[${done + 1}/${totalSteps}] ${step.title}`;

  return {
    stepStarted(step) {
      current = step;
      if (interactive()) spinner = ora({ text: label(step), stream: out }).start();
    },
    progress(message) {
      if (spinner && current) spinner.text = `${label(current)} · ${message}`;
    },
    stepFinished(outcome) {
      const line = `${outcome.step.title}${describe(outcome)}`;
      if (spinner) {
        if (outcome.status === 'done') spinner.succeed(line);
        else spinner.fail(`${line}: ${outcome.error}`);
        spinner = null;
      } else {
        const mark = outcome.status === 'done' ? 'ok  ' : outcome.status === 'failed' ? 'FAIL' : 'skip';
        const tail = outcome.status === 'done' ? '' : `: ${outcome.error}`;
        out.write(`${new Date().toISOString().slice(11, 19)} ${mark} ${line}${tail}\n`);
      }
      done += 1;
    },
  };
}

function describe(outcome: StepOutcome): string {
  if (outcome.status !== 'done') return '';
  const time = ` (${outcome.seconds.toFixed(2)} s)`;
  if (outcome.step.kind === 'extract') {
    const o = outcome.output as ExtractOutput | undefined;
    if (!o) return time;
    if (o.status === 'absent') return ` · not delivered (optional)${time}`;
    if (o.status === 'not_provided') return ` · not provided (sources_provided)${time}`;
    const fetched = o.rowsFetched !== undefined ? `${n(o.rowsFetched)} fetched from ${o.file}, ` : '';
    // absent from a step record written before field-level severities (crm-eval follow)
    const nulled = o.fieldsNulled ? `, ${n(o.fieldsNulled)} field value(s) set to NULL` : '';
    return ` · ${fetched}${n(o.rowsRead)} read, ${n(o.rowsLoaded)} loaded, ${n(o.rowsQuarantined)} quarantined${nulled}${time}`;
  }
  if (outcome.step.kind === 'transform') {
    const models = (outcome.output as TransformOutput | undefined)?.models;
    return models ? ` · ${models.length} models${time}` : time;
  }
  if (outcome.step.kind === 'test') {
    const o = outcome.output as TestOutput | undefined;
    if (!o) return time;
    return ` · ${n(o.tests)} tests passed${o.warnings.length ? `, ${o.warnings.length} warning(s)` : ''}${time}`;
  }
  return time;
}

/** The table printed after a run. */
export function summary(result: RunResult): string {
  const extracts = result.outcomes.filter((o) => o.step.kind === 'extract' && o.status === 'done').map((o) => o.output as ExtractOutput);
  const entities = new Table({
    head: ['entity', 'read', 'loaded', 'quarantined', 'skipped (watermark)', 'extra columns', 'seconds'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'left', 'right'],
    style: { head: [], border: [], compact: true },
  });
  const total = { read: 0, loaded: 0, quarantined: 0, nulled: 0 };
  for (const e of extracts) {
    total.nulled += e.fieldsNulled ?? 0;
    total.read += e.rowsRead;
    total.loaded += e.rowsLoaded;
    total.quarantined += e.rowsQuarantined;
    entities.push([
      `${e.source}.${e.entity}`,
      e.status === 'loaded' ? n(e.rowsRead) : '—',
      e.status === 'absent' ? 'not delivered' : e.status === 'not_provided' ? 'not provided' : n(e.rowsLoaded),
      n(e.rowsQuarantined),
      n(e.rowsSkipped),
      e.extraColumns.join(', '),
      e.seconds.toFixed(2),
    ]);
  }
  entities.push(['total', n(total.read), n(total.loaded), n(total.quarantined), '', '', '']);

  const steps = new Table({ head: ['step', 'status', 'seconds'], colAligns: ['left', 'left', 'right'], style: { head: [], border: [], compact: true } });
  for (const group of new Set(result.outcomes.map((o) => stepGroup(o.step)))) {
    const of = result.outcomes.filter((o) => stepGroup(o.step) === group);
    const status = of.some((o) => o.status === 'failed') ? 'FAILED' : of.some((o) => o.status === 'skipped') ? 'skipped' : 'ok';
    steps.push([group, status, of.reduce((s, o) => s + o.seconds, 0).toFixed(2)]);
  }
  steps.push(['total', result.status, result.seconds.toFixed(2)]);

  const reconciled = total.read === total.loaded + total.quarantined ? 'reconciled: rows read = rows loaded + rows quarantined' : 'NOT RECONCILED';
  const tested = result.outcomes.find((o) => o.step.kind === 'test' && o.status === 'done')?.output as TestOutput | undefined;
  const warnings = (tested?.warnings ?? []).map((w) => `warning: ${w.model} › ${w.test}: ${n(w.failures)} row(s), e.g. ${w.sample.join(', ')}`);
  const nulled = total.nulled > 0 ? [`${n(total.nulled)} field value(s) of loaded rows set to NULL (bad optional fields; see quarantine.<entity>_fields)`] : [];
  return [`Run ${result.runId}: ${result.status}`, entities.toString(), reconciled, ...nulled, ...warnings, steps.toString()].join('\n');
}
