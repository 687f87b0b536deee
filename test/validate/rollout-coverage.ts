/**
 * `npm run validate:rollout`: over several seeds of the staggered reference company, how often
 * the published 95% intervals (per wave and overall) hold the planted effect, for the robust
 * group-time estimate and for the two-way fixed-effects coefficient beside it; with constant
 * effects after the ramp-up, and with effects that grow over the after window.
 * SEEDS (default 8) and CUSTOMERS (default 2000) set the size.
 */
import { runStaggeredCompany, type Recovered } from '../fixtures/staggered-company.ts';

const seeds = Number(process.env.SEEDS ?? 8);
const customers = Number(process.env.CUSTOMERS ?? 2000);

for (const growing of [false, true]) {
  const all: Recovered[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const { recovered } = await runStaggeredCompany(customers, seed, { growing });
    all.push(...recovered);
    console.error(`seed ${seed} ${growing ? 'growing' : 'constant'}: ${recovered.filter((r) => r.covered).length}/${recovered.length} covered`);
  }
  console.log(`\n${growing ? 'Effects growing over 12 months, no ramp-up left out' : 'Constant effects after a 3-month ramp-up'}: ${seeds} seeds × ${customers} customers`);
  console.log('| estimate | intervals | cover the truth | mean error (truth units) |');
  console.log('|---|---|---|---|');
  const groups: Array<[string, (r: Recovered) => boolean]> = [
    ['per wave (group-time)', (r) => r.row.wave !== 'overall'],
    ['overall (group-time)', (r) => r.row.wave === 'overall' && r.row.method === 'group_time_att'],
    ['overall (two-way FE, for comparison)', (r) => r.row.method === 'two_way_fixed_effects'],
  ];
  for (const [label, pick] of groups) {
    const mine = all.filter(pick);
    const error = mine.reduce((s, r) => s + ((r.row.ci_of === 'rel_change' ? r.row.rel_change! : r.row.abs_change) - r.truth) / Math.abs(r.truth), 0) / mine.length;
    console.log(`| ${label} | ${mine.length} | ${((100 * mine.filter((r) => r.covered).length) / mine.length).toFixed(1)}% | ${(100 * error).toFixed(1)}% of the effect |`);
  }
  console.log('\n| KPI | group-time intervals | cover | two-way FE cover |\n|---|---|---|---|');
  for (const kpi of [...new Set(all.map((r) => r.row.kpi))].sort()) {
    const robust = all.filter((r) => r.row.kpi === kpi && r.row.method === 'group_time_att');
    const twfe = all.filter((r) => r.row.kpi === kpi && r.row.method === 'two_way_fixed_effects');
    const share = (xs: Recovered[]) => `${xs.filter((r) => r.covered).length}/${xs.length}`;
    console.log(`| ${kpi} | ${robust.length} | ${share(robust)} | ${share(twfe)} |`);
  }
}
