/**
 * How many agents the ticket workload needs. The roster is planned from the expected handle
 * time of each month (known before any ticket is drawn, since agents are assigned as tickets
 * are written), and the timesheets are then fitted to the handle time actually generated, so
 * occupancy as METRICS.md §4 defines it (handle time ÷ hours worked) is TARGET_OCCUPANCY in
 * every month at every scale: seasonal peaks are worked as longer shifts, not as idle agents.
 */
import { DAY, effectShare, seasonality, type Timeline } from './calendar.ts';
import type { Customer } from './customers.ts';
import { BASE, PLANTED } from './effects.ts';

/** the middle of the 55-85% a well-run contact centre plans for */
export const TARGET_OCCUPANCY = 0.7;
/** TICKETS_PER_MONTH of activity.ts: tickets per customer-month at seasonality 1 */
export const TICKETS_PER_CUSTOMER_MONTH = 0.07;
/** hours a full-time agent is at work on a weekday (weekends off, about 4% leave and sickness) */
export const FULL_DAY_HOURS = 8;
export const ATTENDANCE = 0.96;

/** mean of the lognormal handle time (median × e^{σ²/2}), in hours, at effect share e */
const meanHandleHours = (e: number) => (BASE.handleMedianSeconds * Math.exp(BASE.handleSigma ** 2 / 2) * (1 + PLANTED.handleSeconds * e)) / 3600;

/** Expected handle hours of the tickets created in each month. */
export function expectedHandleHours(customers: readonly Customer[], t: Timeline): number[] {
  const months = t.monthStarts.length - 1;
  const hours = Array<number>(months).fill(0);
  for (let m = 0; m < months; m++) {
    const start = t.monthStarts[m]!;
    const next = t.monthStarts[m + 1]!;
    const season = seasonality(start);
    for (const c of customers) {
      const from = Math.max(start, c.createdAt);
      const to = Math.min(next, c.churnedAt ?? Infinity);
      if (to <= from) continue;
      const e = c.treated ? effectShare(t, (from + to) / 2) : 0;
      hours[m] += ((to - from) / (next - start)) * season * TICKETS_PER_CUSTOMER_MONTH * meanHandleHours(e);
    }
  }
  return hours;
}

/** Weekdays of a month: the days a full-time agent is scheduled. */
export function weekdays(from: number, to: number): number {
  let n = 0;
  for (let day = from; day < to; day += DAY) if (![0, 6].includes(new Date(day).getUTCDay())) n += 1;
  return n;
}

/**
 * Agent FTE each month needs at the target occupancy, smoothed over the surrounding year:
 * headcount follows the growth of the customer base, shifts follow the season.
 */
export function agentFteNeeded(handleHours: readonly number[], t: Timeline): number[] {
  const raw = handleHours.map((h, m) => h / TARGET_OCCUPANCY / (weekdays(t.monthStarts[m]!, t.monthStarts[m + 1]!) * FULL_DAY_HOURS * ATTENDANCE));
  return raw.map((_, m) => {
    const window = raw.slice(Math.max(0, m - 6), Math.min(raw.length, m + 6));
    return window.reduce((s, x) => s + x, 0) / window.length;
  });
}
