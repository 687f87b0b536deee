/**
 * marts.case_study_headline: the one estimate per KPI the executive summary shows, in its table
 * and in its findings. With one go-live it is the whole company's before/after, confirmed when
 * the difference-in-differences agrees; with rollout waves the waves' overall group-time effect,
 * never the before/after pooled over waves that went live on different dates.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../config/load.ts';
import { model } from '../../../transforms/marts/case-study-headline.ts';
import { REFERENCE_ROLLOUT } from '../../../sources/reference-company/rollout.ts';
import { literal, Warehouse } from '../../../warehouse/warehouse.ts';

let warehouse: Warehouse;

/** The columns both source marts share, for one row: a change of `abs` (relative `rel`). */
const estimate = (kpi: string, method: string, abs: number, holm: boolean) =>
  `(${[literal(kpi), literal(method), 1, 1 + abs, abs, abs, literal('rel_change'), abs - 0.1, abs + 0.1, holm ? 0.001 : 0.2, holm, holm, 0.5, 100, 120].join(', ')})`;
const COLUMNS = 'kpi, method, before_mean, after_mean, abs_change, rel_change, ci_of, ci_low, ci_high, p_value, significant, significant_holm, effect_size, n_before, n_after';

beforeEach(async () => {
  warehouse = await Warehouse.open(':memory:');
  await warehouse.run(`CREATE TABLE marts.case_study AS
    SELECT *, 'all' AS cut FROM (VALUES
      ${estimate('csat', 'before_after', 0.2, true)},
      ${estimate('csat', 'difference_in_differences', 0.15, true)},
      ${estimate('nps', 'before_after', 0.3, true)},
      ${estimate('nps', 'difference_in_differences', -0.05, false)},
      ${estimate('fcr', 'before_after', -0.1, true)},
      ${estimate('fcr', 'difference_in_differences', 0.1, true)}
    ) AS t(${COLUMNS})`);
  await warehouse.run(`CREATE TABLE marts.case_study_waves AS
    SELECT *, 'overall' AS wave FROM (VALUES
      ${estimate('csat', 'group_time_att', 0.12, true)},
      ${estimate('csat', 'two_way_fixed_effects', 0.01, false)},
      ${estimate('nps', 'group_time_att', 0.04, false)}
    ) AS t(${COLUMNS})
    UNION ALL
    SELECT *, 'north' FROM (VALUES ${estimate('csat', 'group_time_att', 0.5, true)}) AS t(${COLUMNS})`);
});

afterEach(() => warehouse.close());

async function headline(settings: Record<string, unknown>) {
  await model.build({ warehouse, config: parseConfig(settings), piiSalt: '' });
  return warehouse.all<{ kpi: string; method: string; abs_change: number; confirmed_by_control: boolean }>(
    `SELECT kpi, method, abs_change, confirmed_by_control FROM marts.case_study_headline ORDER BY kpi`,
  );
}

describe('case_study_headline', () => {
  it('with one go-live: the before/after, confirmed only by a significant difference-in-differences in the same direction', async () => {
    expect(await headline({})).toEqual([
      { kpi: 'csat', method: 'before_after', abs_change: 0.2, confirmed_by_control: true },
      // the control group moved the other way: before/after only
      { kpi: 'fcr', method: 'before_after', abs_change: -0.1, confirmed_by_control: false },
      // not significant against the control group
      { kpi: 'nps', method: 'before_after', abs_change: 0.3, confirmed_by_control: false },
    ]);
  });

  it('with rollout waves: the overall group-time effect, never a wave’s nor the two-way fixed effects', async () => {
    expect(await headline({ rollout: [...REFERENCE_ROLLOUT], control_group: null })).toEqual([
      { kpi: 'csat', method: 'group_time_att', abs_change: 0.12, confirmed_by_control: true },
      { kpi: 'nps', method: 'group_time_att', abs_change: 0.04, confirmed_by_control: true },
    ]);
  });
});
