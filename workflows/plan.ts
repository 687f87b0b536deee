/**
 * The pipeline, declared once as data: its steps, what each one runs and what it waits for.
 * The embedded runner (embedded/runner.ts) and the Temporal workflows execute this same plan,
 * so neither can drift from the other. Pure data and types only: workflow code imports it.
 */

/** The activity each kind of step calls (see activities.ts). */
export type StepKind = 'extract' | 'transform' | 'test' | 'publish' | 'reports';

export interface PlanStep {
  /** stable id, e.g. "extract:crm.tickets"; also part of the idempotency key of its activity */
  id: string;
  kind: StepKind;
  title: string;
  dependsOn: readonly string[];
  /** for extract steps: the entity to load */
  entity?: { source: string; entity: string };
  /** for transform steps: the model layer to build */
  layer?: 'staging' | 'marts';
}

export interface PlanOptions {
  entities: ReadonlyArray<{ source: string; entity: string }>;
  /** build the report site at the end */
  reports: boolean;
}

/**
 * extract (one step per entity, independent of each other) → staging models → marts → data
 * tests → publish → reports. Data tests gate publishing: readers never see marts that failed
 * their tests.
 */
export function pipelinePlan(options: PlanOptions): PlanStep[] {
  const extracts: PlanStep[] = options.entities.map(({ source, entity }) => ({
    id: `extract:${source}.${entity}`,
    kind: 'extract',
    title: `extract ${source}.${entity}`,
    dependsOn: [],
    entity: { source, entity },
  }));
  const steps: PlanStep[] = [
    ...extracts,
    { id: 'transform:staging', kind: 'transform', layer: 'staging', title: 'build staging', dependsOn: extracts.map((s) => s.id) },
    { id: 'transform:marts', kind: 'transform', layer: 'marts', title: 'build marts', dependsOn: ['transform:staging'] },
    { id: 'test', kind: 'test', title: 'data tests', dependsOn: ['transform:marts'] },
    { id: 'publish', kind: 'publish', title: 'publish snapshot', dependsOn: ['test'] },
  ];
  if (options.reports) steps.push({ id: 'reports', kind: 'reports', title: 'build reports', dependsOn: ['publish'] });
  return steps;
}

/**
 * The plan in waves: each wave holds the steps whose dependencies are all in earlier waves,
 * so a runner may run one wave's steps in parallel. Throws on a cycle or an unknown dependency.
 */
export function planWaves(steps: readonly PlanStep[]): PlanStep[][] {
  const ids = new Set(steps.map((s) => s.id));
  for (const step of steps) {
    for (const dependency of step.dependsOn) {
      if (!ids.has(dependency)) throw new Error(`plan step ${step.id} depends on unknown step ${dependency}`);
    }
  }
  const done = new Set<string>();
  const waves: PlanStep[][] = [];
  let remaining = [...steps];
  while (remaining.length > 0) {
    const wave = remaining.filter((s) => s.dependsOn.every((d) => done.has(d)));
    if (wave.length === 0) throw new Error(`plan has a cycle among: ${remaining.map((s) => s.id).join(', ')}`);
    waves.push(wave);
    for (const step of wave) done.add(step.id);
    remaining = remaining.filter((s) => !done.has(s.id));
  }
  return waves;
}

/** Which activity a step calls, and with what input: shared by both runners. */
export function activityCall(step: PlanStep, run: { runId: string; dataDir: string }) {
  switch (step.kind) {
    case 'extract':
      return { activity: 'extractEntity', input: { runId: run.runId, dataDir: run.dataDir, ...step.entity! } } as const;
    case 'transform':
      return { activity: 'buildModels', input: { runId: run.runId, layer: step.layer! } } as const;
    case 'test':
      return { activity: 'runDataTests', input: { runId: run.runId } } as const;
    case 'publish':
      return { activity: 'publishSnapshot', input: { runId: run.runId } } as const;
    case 'reports':
      return { activity: 'buildReports', input: { runId: run.runId } } as const;
  }
}

/** How a run is summarised: all extract steps together, every other step on its own. */
export function stepGroup(step: PlanStep): string {
  return step.kind === 'extract' ? 'extract' : step.id;
}
