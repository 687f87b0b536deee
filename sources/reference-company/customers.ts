/**
 * The customer base: 40% already customers when the period starts, the rest acquired month by
 * month (a growing company, with seasonal acquisition), each with a purchase intensity drawn
 * from a gamma distribution (heterogeneous buyers, as BG/NBD assumes) and a monthly churn risk.
 */
import { DAY, effectShare, seasonality, type Timeline } from './calendar.ts';
import type { Random } from './random.ts';

export interface Customer {
  id: string;
  createdAt: number;
  segment: 'retail' | 'vip' | 'business';
  region: string;
  gender: string;
  birthYear: number | null;
  channel: string;
  email: string | null;
  phone: string | null;
  /** expected orders per month before seasonality and the CRM effect */
  orderRate: number;
  /** month the customer stops buying and contacting us (churn), or null */
  churnedAt: number | null;
  /** whether the CRM reaches this customer (false in the control group) */
  treated: boolean;
  /** when and how strongly the CRM reaches it: its rollout wave, or null */
  wave: PlantedWave | null;
}

/** A wave as planted: its go-live instant, ramp-up, and its effects as a multiple of PLANTED. */
export interface PlantedWave {
  name: string;
  goLive: number;
  rampUpMonths: number;
  scale: number;
}

/** Share of the planted effects in force for the customer at an instant (its wave’s ramp × scale). */
export function effectOn(c: Customer, at: number): number {
  return c.wave ? c.wave.scale * effectShare(c.wave, at) : 0;
}

export const REGIONS = ['north', 'south', 'east', 'west'] as const;
const ORDER_RATE = { retail: 0.2, business: 0.3, vip: 0.5 } as const;
const MONTHLY_CHURN = 0.012;
/** share of orders that end up completed (the rest are cancelled or returned) */
export const COMPLETED_SHARE = 0.9;

export function buildCustomers(random: Random, t: Timeline, count: number, waveOf: (c: Pick<Customer, 'region' | 'segment'>) => PlantedWave | null): Customer[] {
  const initial = Math.round(count * 0.4);
  const months = t.monthStarts.length - 1;
  // acquisitions grow 2% a month and follow the season
  const weights = Array.from({ length: months }, (_, m) => 1.02 ** m * seasonality(t.monthStarts[m]!));
  const total = weights.reduce((s, w) => s + w, 0);
  const createdAt: number[] = [];
  for (let i = 0; i < initial; i++) createdAt.push(t.start - random.between(1, 730) * DAY);
  let assigned = 0;
  for (let m = 0; m < months; m++) {
    const n = m === months - 1 ? count - initial - assigned : Math.round(((count - initial) * weights[m]!) / total);
    for (let i = 0; i < n; i++) createdAt.push(random.between(t.monthStarts[m]!, t.monthStarts[m + 1]!));
    assigned += n;
  }
  createdAt.sort((a, b) => a - b);

  return createdAt.map((created, i) => {
    const segment = random.weighted([['retail', 70], ['business', 20], ['vip', 10]] as const);
    const region = random.weighted([['north', 30], ['south', 30], ['east', 25], ['west', 15]] as const);
    const id = `C${String(i + 1).padStart(7, '0')}`;
    // months until churn: geometric from creation
    const lifetimeMonths = Math.log(1 - random.next()) / Math.log(1 - MONTHLY_CHURN);
    const churnedAt = created + lifetimeMonths * 30.44 * DAY;
    return {
      id,
      createdAt: Math.floor(created / 1000) * 1000,
      segment,
      region,
      gender: random.weighted([['f', 48], ['m', 47], ['other', 2], ['unknown', 3]] as const),
      birthYear: random.chance(0.06) ? null : random.int(1950, 2004),
      channel: random.weighted([['online', 40], ['store', 30], ['referral', 10], ['social', 12], ['phone', 8]] as const),
      email: random.chance(0.05) ? null : `${id.toLowerCase()}@example.com`,
      phone: random.chance(0.1) ? null : `+86 1${random.int(30, 89)} ${random.int(1000, 9999)} ${random.int(1000, 9999)}`,
      orderRate: random.gamma(2, ORDER_RATE[segment]),
      churnedAt: churnedAt < t.end ? churnedAt : null,
      treated: waveOf({ region, segment }) !== null,
      wave: waveOf({ region, segment }),
    };
  });
}

/**
 * Expected completed orders of a customer over months [fromMonth, toMonth) without the CRM
 * effect: intensity × season × the part of each month the customer was a customer, exactly as
 * activity.ts draws them. The repeat-purchase calibration (effects.ts) works on these.
 */
export function expectedCompletedOrders(c: Customer, t: Timeline, fromMonth: number, toMonth: number): number {
  let mu = 0;
  for (let m = Math.max(0, fromMonth); m < Math.min(toMonth, t.monthStarts.length - 1); m++) {
    const start = t.monthStarts[m]!;
    const next = t.monthStarts[m + 1]!;
    const alive = Math.max(0, Math.min(next, c.churnedAt ?? Infinity) - Math.max(start, c.createdAt)) / (next - start);
    mu += c.orderRate * COMPLETED_SHARE * alive * seasonality(start);
  }
  return mu;
}
