/**
 * The agents' timesheets, fitted to the work: each agent is planned 8 × FTE hours on the
 * weekdays they are on the payroll (less about 4% leave and sickness), and each month the plan
 * is scaled so the hours worked are that month's handle time ÷ TARGET_OCCUPANCY: peaks are
 * worked as overtime, the January dip as short shifts. Hours are quarter hours; the rounding is
 * carried from day to day, so a month's total is exact to a quarter hour at any scale.
 */
import { DAY, isoDate, type Timeline } from './calendar.ts';
import type { CsvWriter } from './csv-writer.ts';
import { employed, type Employee } from './people.ts';
import type { Random } from './random.ts';
import { ATTENDANCE, FULL_DAY_HOURS, TARGET_OCCUPANCY } from './staffing.ts';

/** no shift is longer, whatever the month needs (the rest is carried to the next day) */
const LONGEST_SHIFT = 14;

/**
 * Writes the month's rows of every agent; returns per month the hours worked ÷ the hours
 * planned, which the agents' pay follows (ledger.ts).
 */
export async function writeTimesheets(random: Random, t: Timeline, roster: readonly Employee[], handleSeconds: readonly number[], out: CsvWriter): Promise<number[]> {
  const agents = roster.filter((e) => e.role === 'agent');
  const worked: number[] = [];
  for (let m = 0; m < t.monthStarts.length - 1; m++) {
    const planned: Array<{ id: string; day: number; hours: number }> = [];
    for (let day = t.monthStarts[m]!; day < t.monthStarts[m + 1]!; day += DAY) {
      if ([0, 6].includes(new Date(day).getUTCDay())) continue;
      for (const a of agents) {
        if (!employed(a, day) || !random.chance(ATTENDANCE)) continue;
        planned.push({ id: a.id, day, hours: Math.max(0.25, random.normal(FULL_DAY_HOURS * a.fte, 0.6 * a.fte)) });
      }
    }
    const plannedHours = planned.reduce((s, p) => s + p.hours, 0);
    const scale = plannedHours > 0 ? handleSeconds[m]! / 3600 / TARGET_OCCUPANCY / plannedHours : 0;
    let due = 0;
    for (const p of planned) {
      due += p.hours * scale;
      const hours = Math.min(LONGEST_SHIFT, Math.round(due * 4) / 4);
      if (hours <= 0) continue;
      due -= hours;
      await out.write([p.id, isoDate(p.day), hours]);
    }
    worked.push(scale);
  }
  return worked;
}
