/**
 * `npm run validate:case-study`: does the case study's statistics do what it claims, over many
 * companies? Generates the reference company for N seeds (CASE_STUDY_SEEDS, default 20) at small
 * scale (CASE_STUDY_CUSTOMERS, default 1000), once with the planted effects and once in the
 * null scenario (`--effects none`), runs each through the case-study marts and prints, per
 * method and KPI:
 *
 * - coverage: the share of seeds whose 95% interval holds the planted effect (about 95%),
 * - bias: the mean of estimate − planted effect, in the unit of the interval,
 * - false positives under the null scenario: significant on its own (about 5%),
 * - false positives of the placebos in the planted companies: a fake go-live inside the
 *   pre-period (6, 9, 12 months before; pooled) and the control group at the real go-live,
 * - and per method the family-wise rate under the null: seeds with any KPI significant after
 *   Holm (at most about 5%).
 *
 * It asserts nothing: with 20 seeds a rate is known to about ±5 points; the fast assertions
 * with bounds that a correct method fails with negligible probability are in
 * test/transforms/marts/case-study-seeds.test.ts.
 */
import Table from 'cli-table3';
import { runCaseStudy, type CaseStudyRow, type CaseStudyRun } from '../fixtures/case-study-company.ts';

const seeds = Number(process.env.CASE_STUDY_SEEDS ?? 20);
const customers = Number(process.env.CASE_STUDY_CUSTOMERS ?? 1000);
if (!Number.isInteger(seeds) || seeds < 1 || !Number.isInteger(customers) || customers < 50) {
  throw new Error('CASE_STUDY_SEEDS must be a whole number ≥ 1 and CASE_STUDY_CUSTOMERS one ≥ 50');
}
/** no colours and no rule between rows: the table goes into reports and logs as text */
const PLAIN = { head: [], border: [], compact: true };
const METHODS = ['before_after', 'difference_in_differences', 'interrupted_time_series'] as const;

const planted: CaseStudyRun[] = [];
const none: CaseStudyRun[] = [];
const started = Date.now();
for (let seed = 1; seed <= seeds; seed++) {
  planted.push(await runCaseStudy({ seed, customers }));
  none.push(await runCaseStudy({ seed, customers, effects: 'none' }));
  console.error(`seed ${seed}/${seeds} done, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * The true change in the unit of a row's interval: the planted effect, or for the time series'
 * level change (in KPI units) the relative effect times the pre-go-live baseline; null where the
 * manifest states no effect or no baseline.
 */
function truthOf(run: CaseStudyRun, row: CaseStudyRow): number | null {
  const e = run.manifest.effects.find((x) => x.kpi === row.kpi);
  if (!e) return null;
  if (row.ci_of === 'rel_change' || e.unit === 'points') return e.effect;
  return e.baseline === null ? null : e.effect * e.baseline;
}

const estimateOf = (row: CaseStudyRow) => (row.ci_of === 'rel_change' ? row.rel_change : row.abs_change);
const rowOf = (run: CaseStudyRun, kpi: string, method: string) => run.caseStudy.find((r) => r.kpi === kpi && r.method === method && r.cut === 'all');
const share = (hits: number, of: number) => (of === 0 ? '–' : `${((100 * hits) / of).toFixed(0)}% (${hits}/${of})`);

const kpis = [...new Set(planted.flatMap((run) => run.caseStudy.filter((r) => r.cut === 'all').map((r) => r.kpi)))];
const table = new Table({
  head: ['method', 'KPI', 'coverage of planted', 'mean bias', 'FP null', 'FP placebo time', 'FP placebo space'],
  style: PLAIN,
});
for (const method of METHODS) {
  for (const kpi of kpis) {
    let [covered, tested, biasSum, biasN] = [0, 0, 0, 0];
    for (const run of planted) {
      const row = rowOf(run, kpi, method);
      const truth = row && truthOf(run, row);
      if (!row || truth === null || truth === undefined || row.ci_low === null || row.ci_high === null) continue;
      tested++;
      if (row.ci_low <= truth && truth <= row.ci_high) covered++;
      const estimate = estimateOf(row);
      if (estimate !== null) [biasSum, biasN] = [biasSum + estimate - truth, biasN + 1];
    }
    const nullRows = none.map((run) => rowOf(run, kpi, method)).filter((r) => r && r.p_value !== null) as CaseStudyRow[];
    const placebos = (check: string) => planted.flatMap((run) => run.robustness.filter((r) => r.kpi === kpi && r.method === method && r.check_name === check && r.p_value !== null));
    const [time, space] = [placebos('placebo_time'), placebos('placebo_space')];
    table.push([
      method,
      kpi,
      share(covered, tested),
      biasN === 0 ? '–' : (biasSum / biasN).toPrecision(2),
      share(nullRows.filter((r) => r.significant).length, nullRows.length),
      share(time.filter((r) => r.p_value! < 0.05).length, time.length),
      share(space.filter((r) => r.p_value! < 0.05).length, space.length),
    ]);
  }
}
console.log(`Case-study validation: ${seeds} seeds × ${customers.toLocaleString('en-US')} customers, planted and null scenario, ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log('coverage and bias: planted companies; FP null: null scenario, p < 0.05 alone; placebos: planted companies, p < 0.05 alone');
console.log('bias in the unit of the interval: a fraction for relative KPIs, points for NPS, KPI units for the time series');
console.log(table.toString());

const family = new Table({ head: ['method', 'null-scenario seeds with any KPI significant', 'after Holm (family-wise)'], style: PLAIN });
for (const method of METHODS) {
  const rows = none.map((run) => run.caseStudy.filter((r) => r.cut === 'all' && r.method === method));
  family.push([method, share(rows.filter((rs) => rs.some((r) => r.significant)).length, rows.length), share(rows.filter((rs) => rs.some((r) => r.significant_holm)).length, rows.length)]);
}
console.log(family.toString());
