/**
 * Does the configuration fit the data? Checked after staging and before the marts (the start of
 * `transform:marts`), because a setting that is valid on its own can still describe another
 * company: a go-live in 2030 when the tickets end in 2025, or a control group `wset` that no
 * customer is in. The marts would build anyway, with an empty after window or no control group,
 * and the report would look like a finding. Instead the run stops and says which setting is off
 * and what the data has.
 */
import { addMonths, formatISO } from 'date-fns';
import { ConfigError } from '../config/load.ts';
import { closest } from '../config/did-you-mean.ts';
import type { Config } from '../config/schema.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { ident } from '../warehouse/warehouse.ts';
import { inWave, isTreated } from './marts/_cuts.ts';
import { rolloutWaves } from '../config/rollout.ts';

/** The CRM's dated activity: what the case study compares before and after go-live. */
const ACTIVITY = [
  { table: 'staging.tickets', column: 'created_at' },
  { table: 'staging.orders', column: 'ordered_at' },
  { table: 'staging.surveys', column: 'responded_at' },
  { table: 'staging.interactions', column: 'occurred_at' },
] as const;

/** At most this many of a cut's values are named in a message. */
const SHOWN_VALUES = 20;

/** Throws a ConfigError naming every setting that does not fit the staged data. */
export async function assertConfigFitsData(warehouse: Warehouse, config: Config): Promise<void> {
  const problems = [
    ...(await periodProblems(warehouse, config)),
    ...(config.rollout ? await rolloutProblems(warehouse, config) : await controlGroupProblems(warehouse, config)),
  ];
  if (problems.length > 0) throw new ConfigError(`the configuration does not fit the data:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

/** The first and last day of dated CRM activity, and how a message says so. */
async function dataSpan(warehouse: Warehouse): Promise<{ first: string; last: string; has: string } | null> {
  const spans = ACTIVITY.map(
    ({ table, column }) => `SELECT strftime(min(${ident(column)}), '%Y-%m-%d') AS first, strftime(max(${ident(column)}), '%Y-%m-%d') AS last FROM ${table}`,
  );
  const { first, last } = await warehouse.one<{ first: string | null; last: string | null }>(
    `SELECT min(first) AS first, max(last) AS last FROM (${spans.join(' UNION ALL ')})`,
  );
  if (first === null || last === null) return null; // no dated CRM records: nothing to place a go-live in
  return { first, last, has: `the data runs from ${first} to ${last} (${ACTIVITY.map((a) => a.table.replace('staging.', '')).join(', ')})` };
}

async function periodProblems(warehouse: Warehouse, config: Config): Promise<string[]> {
  const span = await dataSpan(warehouse);
  if (!span) return [];
  const { first, last, has } = span;
  const goLive = config.crm_go_live;
  if (goLive <= first) return [`crm_go_live: ${goLive} is not after the first record, so nothing comes before it; ${has}`];
  if (goLive > last) return [`crm_go_live: ${goLive} is after the last record, so nothing comes after it; ${has}`];
  const afterFrom = formatISO(addMonths(new Date(`${goLive}T00:00:00Z`), config.ramp_up_months), { representation: 'date' });
  if (afterFrom > last) {
    return [
      `ramp_up_months: the case study's after window starts ${afterFrom} (${config.ramp_up_months} month${config.ramp_up_months === 1 ? '' : 's'} of ramp-up after go-live), after the last record, so it is empty; ${has}`,
    ];
  }
  return [];
}

/** The values of a customer cut present in the data, and how a message says so. */
async function cutValues(warehouse: Warehouse, cut: string): Promise<{ present: string[]; has: string }> {
  const rows = await warehouse.all<{ value: string }>(`SELECT DISTINCT ${ident(cut)} AS value FROM staging.customers WHERE ${ident(cut)} IS NOT NULL ORDER BY 1`);
  const present = rows.map((r) => r.value);
  const shown = present.length > SHOWN_VALUES ? `${present.slice(0, SHOWN_VALUES).join(', ')}, … (${present.length} in all)` : present.join(', ');
  return { present, has: present.length > 0 ? `the data has: ${shown}` : 'the data has no customers' };
}

/** `setting: wset matches no customer’s region; the data has: …; did you mean west?` for each value not in the data. */
async function unmatchedValues(warehouse: Warehouse, setting: string, cut: string, values: readonly string[]): Promise<string[]> {
  const { present, has } = await cutValues(warehouse, cut);
  return values
    .filter((value) => !present.includes(value))
    .map((value) => {
      const meant = closest(value, present);
      return `${setting}: ${value} matches no customer’s ${cut}; ${has}${meant ? `; did you mean ${meant}?` : ''}`;
    });
}

/**
 * Each wave must reach customers and go live inside the data; and waves on different cuts
 * (a region and a segment) must not share customers, which only the data can tell.
 */
async function rolloutProblems(warehouse: Warehouse, config: Config): Promise<string[]> {
  const span = await dataSpan(warehouse);
  const waves = rolloutWaves(config);
  const problems: string[] = [];
  for (const w of waves) {
    problems.push(...(await unmatchedValues(warehouse, `rollout[${w.name}].values`, w.cut!, w.values)));
    if (span && (w.goLive <= span.first || w.goLive > span.last)) {
      problems.push(`rollout[${w.name}].go_live: ${w.goLive} is not inside the data, so the wave has no before or no after; ${span.has}`);
    }
  }
  for (const [i, a] of waves.entries()) {
    for (const b of waves.slice(i + 1).filter((b) => b.cut !== a.cut)) {
      const { shared } = await warehouse.one<{ shared: number }>(
        `SELECT count(*)::BIGINT AS shared FROM staging.customers c WHERE ${inWave(a, 'c')} AND ${inWave(b, 'c')}`,
      );
      if (shared > 0) problems.push(`rollout[${b.name}]: overlaps wave ${a.name}: ${shared === 1 ? '1 customer is' : `${shared} customers are`} in both (${a.cut} and ${b.cut}); a customer goes live once`);
    }
  }
  return problems;
}

async function controlGroupProblems(warehouse: Warehouse, config: Config): Promise<string[]> {
  const control = config.control_group;
  if (!control) return [];
  const problems = await unmatchedValues(warehouse, 'control_group.values', control.cut, control.values);
  if (problems.length === 0) {
    const { treated } = await warehouse.one<{ treated: number }>(
      `SELECT count(*)::BIGINT AS treated FROM staging.customers c WHERE ${isTreated(config, 'c')}`,
    );
    if (treated === 0) problems.push(`control_group.values: every customer’s ${control.cut} is in the control group, so no customer has the CRM to compare with`);
  }
  return problems;
}
