/**
 * The company's time line: 24 months before the CRM go-live and 24 after, month by month, with
 * the seasonality of volumes and the ramp-up of the CRM effect. All instants are UTC.
 */
import { addMonths } from 'date-fns';

export const MONTHS_BEFORE = 24;
export const MONTHS_AFTER = 24;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Timeline {
  start: number;
  goLive: number;
  end: number;
  /** start of each month, plus the end as a last boundary */
  monthStarts: number[];
  rampUpMonths: number;
}

const utc = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

export function timeline(goLiveIso: string, rampUpMonths: number): Timeline {
  const goLive = utc(goLiveIso);
  const first = new Date(goLive);
  const monthStarts: number[] = [];
  for (let m = -MONTHS_BEFORE; m <= MONTHS_AFTER; m++) {
    const d = addMonths(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1)), m);
    monthStarts.push(Date.UTC(d.getFullYear(), d.getMonth(), 1));
  }
  return { start: monthStarts[0]!, goLive, end: monthStarts[monthStarts.length - 1]!, monthStarts, rampUpMonths };
}

/**
 * Share of the CRM's full effect in force at an instant, for a treated customer: 0 before
 * go-live, rising linearly over the ramp-up, 1 afterwards.
 */
export function effectShare(t: Pick<Timeline, 'goLive' | 'rampUpMonths'>, at: number): number {
  if (at < t.goLive) return 0;
  if (t.rampUpMonths === 0) return 1;
  const rampEnd = addMonths(new Date(t.goLive), t.rampUpMonths).getTime();
  return at >= rampEnd ? 1 : (at - t.goLive) / (rampEnd - t.goLive);
}

/**
 * Volume seasonality by calendar month (mean 1): peaks for the November/December shopping
 * season, a dip around Chinese New Year (January/February). Rates are not seasonal.
 */
const SEASON = [0.8, 0.75, 0.95, 1, 1, 1.02, 0.98, 0.96, 1, 1.04, 1.2, 1.3];
export function seasonality(monthStart: number): number {
  return SEASON[new Date(monthStart).getUTCMonth()]!;
}

export function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
