/**
 * What each customer does, month by month while they are a customer: orders, service tickets
 * (with status history, CSAT and CES surveys), NPS answers, referrals and touchpoints. Written
 * straight to the files as it is generated. The planted CRM effects enter here, through the
 * mechanism parameters of effects.ts scaled by the effect share in force.
 */
import { HOUR, iso, seasonality, type Timeline } from './calendar.ts';
import { comment } from './comments.ts';
import { COMPLETED_SHARE, effectOn, type Customer } from './customers.ts';
import type { CsvWriter } from './csv-writer.ts';
import { BASE, CES_HIGH, CES_LOW, PLANTED, cesLowWeight, npsShares } from './effects.ts';
import type { AgentPicker } from './people.ts';
import type { Random } from './random.ts';
import { TICKETS_PER_CUSTOMER_MONTH } from './staffing.ts';

export interface ActivityWriters {
  orders: CsvWriter;
  tickets: CsvWriter;
  ticketEvents: CsvWriter;
  surveys: CsvWriter;
  referrals: CsvWriter;
  interactions: CsvWriter;
}

/** Monthly totals the ledger needs. */
export interface MonthlyTotals {
  tickets: number[];
  /** handle seconds of the tickets created in the month: the work the timesheets are fitted to */
  handleSeconds: number[];
  revenue: number[];
  newCustomers: number[];
}

const INTERACTIONS_PER_MONTH = 0.6;
const ORDER_MEDIAN = { retail: 180, business: 650, vip: 420 } as const;
const PRIORITIES = [['urgent', 5], ['high', 15], ['normal', 60], ['low', 20]] as const;
const CHANNELS = [['phone', 35], ['email', 25], ['chat', 25], ['social', 5], ['web', 10]] as const;
const CATEGORIES = ['billing', 'delivery', 'product', 'account', 'refund', 'technical'];
const KINDS = [['visit', 25], ['login', 35], ['email_open', 20], ['call', 5], ['chat', 8], ['event', 7]] as const;
const KIND_CHANNEL: Record<string, string> = { visit: 'store', login: 'app', email_open: 'email', call: 'phone', chat: 'web', event: 'store' };

export class ActivityGenerator {
  private ids = { order: 0, ticket: 0, response: 0, referral: 0, interaction: 0 };
  readonly totals: MonthlyTotals;

  constructor(
    private readonly random: Random,
    private readonly t: Timeline,
    private readonly out: ActivityWriters,
    private readonly agents: AgentPicker,
    private readonly customers: readonly Customer[],
    /** purchase-intensity multiplier at full effect (effects.ts repeatPurchaseMultiplier) */
    private readonly purchaseMultiplier: number,
    /** false for the null scenario: every customer keeps the pre-go-live parameters */
    private readonly plantEffects = true,
  ) {
    const months = t.monthStarts.length - 1;
    this.totals = { tickets: Array(months).fill(0), handleSeconds: Array(months).fill(0), revenue: Array(months).fill(0), newCustomers: Array(months).fill(0) };
  }

  /** The share of the CRM's effect in force for this customer at this instant. */
  private share(c: Customer, at: number): number {
    return this.plantEffects ? effectOn(c, at) : 0;
  }

  async customer(c: Customer, index: number): Promise<void> {
    const t = this.t;
    for (let m = 0; m < t.monthStarts.length - 1; m++) {
      const from = Math.max(t.monthStarts[m]!, c.createdAt);
      const to = Math.min(t.monthStarts[m + 1]!, c.churnedAt ?? Infinity);
      if (c.createdAt >= t.monthStarts[m]! && c.createdAt < t.monthStarts[m + 1]!) this.totals.newCustomers[m] += 1;
      if (to <= from) continue;
      const alive = (to - from) / (t.monthStarts[m + 1]! - t.monthStarts[m]!);
      const season = seasonality(t.monthStarts[m]!);
      const e = this.share(c, (from + to) / 2);
      await this.orders(c, m, from, to, c.orderRate * alive * season * (1 + (this.purchaseMultiplier - 1) * e));
      const tickets = this.random.poisson(TICKETS_PER_CUSTOMER_MONTH * alive * season);
      for (let i = 0; i < tickets; i++) await this.ticket(c, m, this.random.between(from, to));
      if (this.random.chance(0.025 * alive)) await this.nps(c, this.random.between(from, to));
      if (this.random.chance(0.006 * alive)) await this.referral(c, index, this.random.between(from, to));
      const touches = this.random.poisson(INTERACTIONS_PER_MONTH * alive);
      for (let i = 0; i < touches; i++) {
        const kind = this.random.weighted(KINDS);
        await this.out.interactions.write([`I${++this.ids.interaction}`, c.id, iso(this.random.between(from, to)), KIND_CHANNEL[kind], kind]);
      }
    }
  }

  private async orders(c: Customer, m: number, from: number, to: number, expected: number) {
    const n = this.random.poisson(expected);
    for (let i = 0; i < n; i++) {
      const amount = Math.round(this.random.lognormal(ORDER_MEDIAN[c.segment], 0.6) * 100) / 100;
      const status = this.random.chance(COMPLETED_SHARE) ? 'completed' : this.random.chance(0.6) ? 'cancelled' : 'returned';
      if (status === 'completed') this.totals.revenue[m] += amount;
      const margin = this.random.chance(0.12) ? null : (amount * this.random.between(0.25, 0.45)).toFixed(2);
      const channel = this.random.weighted([['online', 50], ['store', 35], ['phone', 15]] as const);
      await this.out.orders.write([`O${++this.ids.order}`, c.id, iso(this.random.between(from, to)), amount.toFixed(2), margin, channel, status]);
    }
  }

  private async ticket(c: Customer, m: number, createdAt: number) {
    const r = this.random;
    const t = this.t;
    const e = this.share(c, createdAt);
    const id = `T${++this.ids.ticket}`;
    this.totals.tickets[m] += 1;
    const complaint = r.chance(BASE.complaintShare * (1 + PLANTED.complaintShare * e));
    const priority = r.weighted(PRIORITIES);
    const channel = r.weighted(CHANNELS);
    const agent = this.agents.pick(createdAt);
    const created = Math.floor(createdAt / 1000) * 1000;

    const responseMedian = BASE.firstResponseMedianHours[priority]! * (complaint ? BASE.complaintResponseFactor : 1) *
      (1 + (complaint ? PLANTED.complaintFirstResponseHours : PLANTED.firstResponseHours) * e);
    const responded = created + Math.max(60_000, r.lognormal(responseMedian, BASE.firstResponseSigma) * HOUR);
    const work = r.lognormal(BASE.workMedianHours[priority]! * (1 + PLANTED.workHours * e), BASE.workSigma) * HOUR;
    const abandoned = r.chance(0.01);
    const resolved = responded + work;
    const closed = resolved + r.lognormal(24, 0.8) * HOUR;
    const firstContact = r.chance(BASE.fcr * (1 + PLANTED.fcr * e));
    const contacts = firstContact ? 1 : r.chance(0.8) ? 2 + r.poisson(0.6) : 1;
    const reopened = firstContact ? 0 : contacts === 1 ? 1 : r.chance(0.3) ? 1 : 0;
    const handle = Math.round(r.lognormal(BASE.handleMedianSeconds * (1 + PLANTED.handleSeconds * e), BASE.handleSigma));
    this.totals.handleSeconds[m] += handle;

    const seen = (at: number) => (at < t.end ? at : null);
    const firstResponseAt = seen(responded);
    const resolvedAt = abandoned || firstResponseAt === null ? null : seen(resolved);
    const closedAt = resolvedAt === null ? null : seen(closed);
    const ts = (ms: number | null) => (ms === null ? null : iso(Math.floor(ms / 1000) * 1000));
    await this.out.tickets.write([
      id, c.id, iso(created), ts(firstResponseAt), ts(resolvedAt), ts(closedAt), channel, priority, r.pick(CATEGORIES),
      complaint, agent.id, contacts, reopened, handle,
    ]);
    await this.events(id, created, firstResponseAt, resolvedAt, closedAt);
    if (resolvedAt !== null) await this.ticketSurveys(c, id, resolvedAt, e);
  }

  /** Status history: new → open → (pending spans) → solved → closed, in time order. */
  private async events(id: string, created: number, responded: number | null, resolved: number | null, closed: number | null) {
    const r = this.random;
    const write = (at: number, status: string) => this.out.ticketEvents.write([id, iso(Math.floor(at / 1000) * 1000), status]);
    await write(created, 'new');
    if (responded === null) return;
    await write(responded, 'open');
    const span = (resolved ?? this.t.end) - responded;
    if (resolved !== null && span > 4 * 60_000) {
      if (r.chance(0.5)) {
        await write(responded + span * 0.15, 'pending_customer');
        await write(responded + span * r.between(0.3, 0.45), 'open');
      }
      if (r.chance(0.25)) {
        await write(responded + span * 0.55, 'pending_internal');
        await write(responded + span * r.between(0.7, 0.85), 'open');
      }
    }
    if (resolved === null) return;
    await write(resolved, 'solved');
    if (closed !== null) await write(closed, 'closed');
  }

  private async ticketSurveys(c: Customer, ticketId: string, resolved: number, e: number) {
    const r = this.random;
    if (r.chance(0.35)) {
      const at = resolved + r.between(1, 48) * HOUR;
      if (at < this.t.end) {
        const top2 = r.chance(BASE.csatTop2 * (1 + PLANTED.csat * e));
        const score = top2 ? (r.chance(0.55) ? 5 : 4) : r.weighted([[1, 15], [2, 30], [3, 55]] as const);
        const text = r.chance(0.4) ? comment(r, (score - 1) / 4, true).text : null;
        await this.out.surveys.write([`R${++this.ids.response}`, c.id, ticketId, 'csat', score, text, iso(at)]);
      }
    }
    if (r.chance(0.2)) {
      const at = resolved + r.between(1, 48) * HOUR;
      if (at < this.t.end) {
        const distribution = r.chance(cesLowWeight(BASE.cesMean * (1 + PLANTED.ces * e))) ? CES_LOW : CES_HIGH;
        const score = r.weighted(distribution.map((p, i) => [i + 1, p] as const));
        await this.out.surveys.write([`R${++this.ids.response}`, c.id, ticketId, 'ces', score, null, iso(at)]);
      }
    }
  }

  private async nps(c: Customer, at: number) {
    const r = this.random;
    const e = this.share(c, at);
    const { promoters, detractors } = npsShares(e);
    const u = r.next();
    const score = u < promoters ? r.pick([9, 10, 10]) : u < promoters + detractors ? r.weighted([[0, 2], [1, 2], [2, 3], [3, 5], [4, 8], [5, 15], [6, 20]] as const) : r.pick([7, 8]);
    const text = r.chance(0.3) ? comment(r, score / 10, false).text : null;
    await this.out.surveys.write([`R${++this.ids.response}`, c.id, null, 'nps', score, text, iso(at)]);
  }

  private async referral(c: Customer, index: number, at: number) {
    const r = this.random;
    // A converted referral names a customer who joined afterwards.
    let referred: string | null = null;
    if (r.chance(0.3)) {
      const j = firstCreatedAfter(this.customers, at, index + 1);
      if (j < this.customers.length) referred = this.customers[Math.min(this.customers.length - 1, j + r.int(0, 50))]!.id;
    }
    await this.out.referrals.write([`F${++this.ids.referral}`, c.id, referred, iso(at), referred !== null]);
  }
}


/** Index of the first customer (sorted by creation) created after `at`, searching from `from`. */
function firstCreatedAfter(customers: readonly Customer[], at: number, from: number): number {
  let low = from;
  let high = customers.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (customers[mid]!.createdAt <= at) low = mid + 1;
    else high = mid;
  }
  return low;
}
