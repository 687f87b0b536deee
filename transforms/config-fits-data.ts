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
import { isTreated } from './marts/_cuts.ts';

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
  const problems = [...(await periodProblems(warehouse, config)), ...(await controlGroupProblems(warehouse, config))];
  if (problems.length > 0) throw new ConfigError(`the configuration does not fit the data:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

async function periodProblems(warehouse: Warehouse, config: Config): Promise<string[]> {
  const spans = ACTIVITY.map(
    ({ table, column }) => `SELECT strftime(min(${ident(column)}), '%Y-%m-%d') AS first, strftime(max(${ident(column)}), '%Y-%m-%d') AS last FROM ${table}`,
  );
  const { first, last } = await warehouse.one<{ first: string | null; last: string | null }>(
    `SELECT min(first) AS first, max(last) AS last FROM (${spans.join(' UNION ALL ')})`,
  );
  if (first === null || last === null) return []; // no dated CRM records: nothing to place a go-live in
  const has = `the data runs from ${first} to ${last} (${ACTIVITY.map((a) => a.table.replace('staging.', '')).join(', ')})`;
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

async function controlGroupProblems(warehouse: Warehouse, config: Config): Promise<string[]> {
  const control = config.control_group;
  if (!control) return [];
  const cut = ident(control.cut);
  const rows = await warehouse.all<{ value: string }>(`SELECT DISTINCT ${cut} AS value FROM staging.customers WHERE ${cut} IS NOT NULL ORDER BY 1`);
  const present = rows.map((r) => r.value);
  const shown = present.length > SHOWN_VALUES ? `${present.slice(0, SHOWN_VALUES).join(', ')}, … (${present.length} in all)` : present.join(', ');
  const has = present.length > 0 ? `the data has: ${shown}` : 'the data has no customers';
  const problems = control.values
    .filter((value) => !present.includes(value))
    .map((value) => {
      const meant = closest(value, present);
      return `control_group.values: ${value} matches no customer’s ${control.cut}; ${has}${meant ? `; did you mean ${meant}?` : ''}`;
    });
  if (problems.length === 0) {
    const { treated } = await warehouse.one<{ treated: number }>(
      `SELECT count(*)::BIGINT AS treated FROM staging.customers c WHERE ${isTreated(config, 'c')}`,
    );
    if (treated === 0) problems.push(`control_group.values: every customer’s ${control.cut} is in the control group, so no customer has the CRM to compare with`);
  }
  return problems;
}
