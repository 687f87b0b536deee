/**
 * The random numbers the first roster drew, still drawn. Until the service desk was sized to
 * its ticket volume (staffing.ts) the generator built a fixed-ratio roster (one agent per 833
 * customers, at least six) from the company's one stream, and assigned each ticket by drawing
 * from it. The customers' activity comes from the same stream, so dropping those draws would
 * redraw every order, ticket and survey, and with them the seeded figures the case study's
 * recovery tests and the README quote. This module keeps drawing them, and nothing else: the
 * agents it picks are thrown away; the staffed roster (people.ts) takes the tickets.
 */
import { DAY, type Timeline } from './calendar.ts';
import { monthIndex } from './people.ts';
import type { Random } from './random.ts';

interface Slot {
  hiredAt: number;
  terminatedAt: number | null;
}

const on = (a: Slot, at: number) => a.hiredAt <= at && (a.terminatedAt === null || at < a.terminatedAt + DAY);
const dayStart = (ms: number) => Math.floor(ms / DAY) * DAY;

export class LegacyDraws {
  private readonly byMonth: Slot[][];

  /** Draws, in their order, what the first roster of `customers` drew when it was built. */
  constructor(
    private readonly random: Random,
    private readonly t: Timeline,
    customers: number,
  ) {
    const agentCount = Math.max(6, Math.round(customers * 0.0012));
    const teams = Math.max(3, Math.ceil(agentCount / 8));
    random.between(400, 2000); // the manager's hire date
    for (let i = 0; i < teams; i++) {
      random.between(200, 1800); // each supervisor's hire date and salary
      random.between(13000, 16000);
    }
    random.between(100, 900); // two support staff
    random.between(100, 900);
    const agents: Slot[] = [];
    const hire = (hiredAt: number) => {
      random.chance(0.1); // part time
      agents.push({ hiredAt: dayStart(hiredAt), terminatedAt: null });
    };
    for (let i = 0; i < agentCount; i++) {
      const hiredAt = t.start - random.between(30, 1500) * DAY;
      random.between(6000, 9500);
      hire(hiredAt);
    }
    for (let m = 0; m < t.monthStarts.length - 1; m++) {
      const from = t.monthStarts[m]!;
      const to = t.monthStarts[m + 1]!;
      for (const agent of [...agents]) {
        if (agent.terminatedAt !== null || agent.hiredAt >= from) continue;
        if (!random.chance(0.02)) continue;
        agent.terminatedAt = dayStart(random.between(from, to - DAY));
        const hiredAt = agent.terminatedAt + random.int(1, 20) * DAY;
        random.between(6000, 8000);
        hire(hiredAt);
      }
    }
    this.byMonth = t.monthStarts.slice(0, -1).map((from, m) => agents.filter((a) => on(a, from) || on(a, t.monthStarts[m + 1]! - DAY)));
  }

  /** The draws of one ticket's assignment at `at` (up to eight tries for an agent on the payroll). */
  pick(at: number): void {
    const m = Math.max(0, Math.min(this.byMonth.length - 1, monthIndex(this.t, at)));
    const candidates = this.byMonth[m]!;
    for (let attempt = 0; attempt < 8; attempt++) if (on(this.random.pick(candidates), at)) return;
  }
}
