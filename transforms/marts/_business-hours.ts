/**
 * Business hours between two instants (METRICS.md §4: SLA "in hours, calendar or business hours
 * with the working calendar"): the overlap with the working hours of each working day, in the
 * calendar's time zone, skipping weekends (by the configured ISO weekdays) and holidays.
 */
import type { Config } from '../../config/schema.ts';
import { literal } from '../../warehouse/warehouse.ts';

export function businessHours(config: Config, from: string, to: string): string {
  const c = config.calendar;
  const local = (ts: string) => `timezone(${literal(c.time_zone)}, CAST(${ts} AS TIMESTAMPTZ))`;
  const holidays = c.holidays.length ? `AND CAST(work_day AS DATE) NOT IN (${c.holidays.map((h) => `DATE ${literal(h)}`).join(', ')})` : '';
  return `(SELECT coalesce(sum(greatest(0, date_diff('second', greatest(${local(from)}, work_day + INTERVAL ${c.start_hour} HOUR),
                                                           least(${local(to)}, work_day + INTERVAL ${c.end_hour} HOUR)))), 0) / 3600.0
    FROM (SELECT CAST(day_start AS TIMESTAMP) AS work_day FROM generate_series(date_trunc('day', ${local(from)}), date_trunc('day', ${local(to)}), INTERVAL 1 DAY) business_days(day_start))
    WHERE isodow(work_day) IN (${c.workdays.join(', ')}) ${holidays})`;
}

/** Hours between two instants as the SLA counts them: calendar hours, or business hours when configured. */
export function slaHours(config: Config, from: string, to: string): string {
  return config.sla.hours === 'business' ? businessHours(config, from, to) : `date_diff('second', ${from}, ${to}) / 3600.0`;
}
