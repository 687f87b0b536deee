/**
 * `npm run validate:rollout`: over several seeds of the staggered reference company, how often
 * the published 95% intervals (per wave and overall) hold the planted effect, for the robust
 * group-time estimate and for the two-way fixed-effects coefficient beside it; with constant
 * effects after the ramp-up, with effects that grow over the after window, and with a rollout
 * that reaches every region while its effect still grows (the fixture’s scenarios). Last, per
 * KPI, what the two overall estimates converge to with unlimited customers, beside the truth.
 * SEEDS (default 8) and CUSTOMERS (default 2000) set the size; SCENARIOS (a comma list) picks
 * some of them.
 */
import { runStaggeredCompany, type Limit, type Recovered, type Scenario } from '../fixtures/staggered-company.ts';

const seeds = Number(process.env.SEEDS ?? 8);
const customers = Number(process.env.CUSTOMERS ?? 2000);

const TITLES: Record<Scenario, string> = {
  constant: 'Constant effects after a 3-month ramp-up',
  growing: 'Effects growing over 12 months, no ramp-up left out',
  every_region: 'Every region live in turn, the west last, effects growing over 24 months, no ramp-up left out',
};

const scenarios = (process.env.SCENARIOS?.split(',') ?? Object.keys(TITLES)) as Scenario[];
for (const scenario of scenarios) {
  if (!(scenario in TITLES)) throw new Error(`SCENARIOS: ${scenario} is none of ${Object.keys(TITLES).join(', ')}`);
  const all: Recovered[] = [];
  let limits: Limit[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const run = await runStaggeredCompany(customers, seed, scenario);
    all.push(...run.recovered);
    limits = run.limits; // the same design each seed, up to the observations per month
    console.error(`seed ${seed} ${scenario}: ${run.recovered.filter((r) => r.covered).length}/${run.recovered.length} covered`);
  }
  console.log(`\n${TITLES[scenario]}: ${seeds} seeds × ${customers} customers`);
  // the error is signed by the KPI's scale, so over KPIs that fall and KPIs that rise a bias
  // toward zero cancels out; estimate ÷ truth shows it (1 on target, 0 none of the effect)
  console.log('| estimate | intervals | cover the truth | mean error (truth units) | mean estimate ÷ truth |');
  console.log('|---|---|---|---|---|');
  const groups: Array<[string, (r: Recovered) => boolean]> = [
    ['per wave (group-time)', (r) => r.row.wave !== 'overall'],
    ['overall (group-time)', (r) => r.row.wave === 'overall' && r.row.method === 'group_time_att'],
    ['overall (two-way FE, for comparison)', (r) => r.row.method === 'two_way_fixed_effects'],
  ];
  for (const [label, pick] of groups) {
    const mine = all.filter(pick);
    const error = mine.reduce((s, r) => s + ((r.row.ci_of === 'rel_change' ? r.row.rel_change! : r.row.abs_change) - r.truth) / Math.abs(r.truth), 0) / mine.length;
    const found = mine.reduce((s, r) => s + (r.row.ci_of === 'rel_change' ? r.row.rel_change! : r.row.abs_change) / r.truth, 0) / mine.length;
    console.log(`| ${label} | ${mine.length} | ${((100 * mine.filter((r) => r.covered).length) / mine.length).toFixed(1)}% | ${(100 * error).toFixed(1)}% of the effect | ${found.toFixed(2)} |`);
  }
  console.log('\n| KPI | group-time intervals | cover | two-way FE cover |\n|---|---|---|---|');
  for (const kpi of [...new Set(all.map((r) => r.row.kpi))].sort()) {
    const robust = all.filter((r) => r.row.kpi === kpi && r.row.method === 'group_time_att');
    const twfe = all.filter((r) => r.row.kpi === kpi && r.row.method === 'two_way_fixed_effects');
    const share = (xs: Recovered[]) => `${xs.filter((r) => r.covered).length}/${xs.length}`;
    console.log(`| ${kpi} | ${robust.length} | ${share(robust)} | ${share(twfe)} |`);
  }
  console.log('\n| KPI | truth | group-time converges to | two-way FE converges to |\n|---|---|---|---|');
  for (const l of limits) console.log(`| ${l.kpi} | ${l.truth.toFixed(4)} | ${l.groupTime.toFixed(4)} | ${l.twoWayFixedEffects.toFixed(4)} |`);
}
