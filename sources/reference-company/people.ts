/**
 * The service organisation: agents in teams with supervisors and a manager, hired and leaving
 * over time (about 2% of agents a month, each replaced), their timesheets, training and
 * quarterly engagement surveys.
 */
import { DAY, isoDate, type Timeline } from './calendar.ts';
import type { CsvWriter } from './csv-writer.ts';
import type { LegacyDraws } from './legacy-draws.ts';
import type { Random } from './random.ts';

export interface Employee {
  id: string;
  role: 'agent' | 'supervisor' | 'manager' | 'other';
  team: string;
  hiredAt: number;
  terminatedAt: number | null;
  monthlySalary: number;
  fte: number;
}

const MONTHLY_ATTRITION = 0.02;
/** agents a team leader looks after */
const TEAM_SIZE = 8;
/** even the smallest service desk has two agents, so one is always there */
const MIN_AGENTS = 2;

/** 0.05 steps, between 0.05 and 1: a contract's share of a full-time week */
const contract = (fte: number) => Math.min(1, Math.max(0.05, Math.round(fte * 20) / 20));

/**
 * The service organisation sized to `need`, the agent FTE each month's workload needs
 * (staffing.ts): agents hired as the customer base grows, leavers replaced only while the team
 * is short; below two full-time agents the desk is part-timers. Supervision, management and
 * support staff scale with the agent FTE as part-time roles in a small company.
 */
export function buildRoster(random: Random, t: Timeline, need: readonly number[]): Employee[] {
  const mean = need.reduce((s, x) => s + x, 0) / need.length;
  const teams = Array.from({ length: Math.max(1, Math.ceil(mean / TEAM_SIZE)) }, (_, i) => `team-${String.fromCharCode(65 + (i % 26))}${i >= 26 ? Math.floor(i / 26) : ''}`);
  const employees: Employee[] = [];
  const add = (role: Employee['role'], team: string, hiredAt: number, salary: number, fte: number) => {
    const e: Employee = { id: `E${String(employees.length + 1).padStart(5, '0')}`, role, team, hiredAt: dayStart(hiredAt), terminatedAt: null, monthlySalary: Math.round(salary / 10) * 10, fte };
    employees.push(e);
    return e;
  };
  add('manager', teams[0]!, t.start - random.between(400, 2000) * DAY, 28000, contract(mean / 40));
  for (const team of teams) add('supervisor', team, t.start - random.between(200, 1800) * DAY, random.between(13000, 16000), contract(mean / teams.length / TEAM_SIZE));
  add('other', teams[0]!, t.start - random.between(100, 900) * DAY, 15000, contract(mean / 20));
  add('other', teams[teams.length > 1 ? 1 : 0]!, t.start - random.between(100, 900) * DAY, 14000, contract(mean / 20));

  // a new agent's contract: full time (one in ten half time) once the desk has two full-timers
  const agentFte = (needed: number) => (needed >= MIN_AGENTS ? (random.chance(0.1) ? 0.5 : 1) : contract(needed / MIN_AGENTS));
  const agents: Employee[] = [];
  const hire = (at: number, needed: number, salary: number) => agents.push(add('agent', teams[agents.length % teams.length]!, at, salary, agentFte(needed)));
  const staffed = (at: number) => agents.filter((a) => employed(a, at)).reduce((s, a) => s + a.fte, 0);
  while (agents.length < MIN_AGENTS || staffed(t.start) < need[0]! * 0.95) hire(t.start - random.between(30, 1500) * DAY, need[0]!, random.between(6000, 9500));
  // Month by month some agents leave; the team hires whenever it is short of the month's need.
  for (let m = 0; m < t.monthStarts.length - 1; m++) {
    const from = t.monthStarts[m]!;
    const to = t.monthStarts[m + 1]!;
    for (const agent of [...agents]) {
      if (agent.terminatedAt !== null || agent.hiredAt >= from) continue;
      if (random.chance(MONTHLY_ATTRITION)) agent.terminatedAt = dayStart(random.between(from, to - DAY));
    }
    const end = to - DAY;
    while (agents.filter((a) => employed(a, end)).length < MIN_AGENTS || staffed(end) < need[m]! * 0.95) hire(from + random.int(1, 20) * DAY, need[m]!, random.between(6000, 8000));
  }
  return employees;
}

export const employed = (e: Employee, at: number) => e.hiredAt <= at && (e.terminatedAt === null || at < e.terminatedAt + DAY);

/**
 * Agents on the payroll at an instant, to assign tickets to. It chooses with the service
 * organisation's own random stream, and makes the first roster's draws on the company's
 * (legacy-draws.ts), so the size of the roster never changes the customers' activity.
 */
export class AgentPicker {
  private readonly byMonth: Employee[][];
  constructor(
    private readonly t: Timeline,
    roster: readonly Employee[],
    private readonly random: Random,
    private readonly legacy: LegacyDraws,
  ) {
    const agents = roster.filter((e) => e.role === 'agent');
    this.byMonth = t.monthStarts.slice(0, -1).map((from, m) => agents.filter((a) => employed(a, from) || employed(a, t.monthStarts[m + 1]! - DAY)));
  }

  pick(at: number): Employee {
    this.legacy.pick(at);
    const random = this.random;
    const m = Math.max(0, Math.min(this.byMonth.length - 1, monthIndex(this.t, at)));
    const candidates = this.byMonth[m]!;
    for (let attempt = 0; attempt < 8; attempt++) {
      const agent = random.pick(candidates);
      if (employed(agent, at)) return agent;
    }
    return candidates.find((a) => employed(a, at)) ?? candidates[0]!;
  }
}

export function monthIndex(t: Timeline, at: number): number {
  // months are 28-31 days: start from an estimate and correct it
  let m = Math.floor((at - t.start) / (30.44 * DAY));
  while (m > 0 && t.monthStarts[m]! > at) m -= 1;
  while (m < t.monthStarts.length - 2 && t.monthStarts[m + 1]! <= at) m += 1;
  return m;
}

const dayStart = (ms: number) => Math.floor(ms / DAY) * DAY;

export interface HrWriters {
  employees: CsvWriter;
  training: CsvWriter;
  engagement: CsvWriter;
}

const COURSES = ['Complaint handling', 'Product knowledge', 'Communication skills'];

/** Writes employees, training and quarterly surveys (the timesheets: timesheets.ts). */
export async function writePeople(random: Random, t: Timeline, roster: readonly Employee[], out: HrWriters): Promise<void> {
  for (const e of roster) {
    const terminated = e.terminatedAt === null ? null : isoDate(e.terminatedAt);
    await out.employees.write([e.id, 'customer_service', e.role, e.team, isoDate(e.hiredAt), terminated, e.monthlySalary.toFixed(2), e.fte]);
  }
  // Every agent on the payroll around go-live takes "CRM basics"; others courses now and then.
  const crmCourseFrom = t.goLive - 30 * DAY;
  for (const e of roster) {
    if (e.role !== 'agent') continue;
    if (employed(e, crmCourseFrom) || employed(e, t.goLive + 30 * DAY)) {
      const at = Math.max(e.hiredAt, crmCourseFrom) + random.int(0, 45) * DAY;
      if (at < t.end) await out.training.write([e.id, 'CRM basics', isoDate(at), 8, random.chance(0.8) ? Math.round(random.between(65, 100)) : null]);
    }
    for (const course of COURSES) {
      if (!random.chance(0.6)) continue;
      const at = Math.max(e.hiredAt, t.start) + random.between(0, 700) * DAY;
      if (at < t.end && employed(e, at)) {
        await out.training.write([e.id, course, isoDate(at), random.pick([2, 4, 6, 8, 16]), random.chance(0.8) ? Math.round(random.between(55, 100)) : null]);
      }
    }
  }
  for (let m = 2; m < t.monthStarts.length - 1; m += 3) {
    const at = t.monthStarts[m + 1]! - DAY; // end of each quarter
    for (const e of roster) {
      if (!employed(e, at) || !random.chance(0.85)) continue;
      const satisfaction = Math.max(1, Math.min(5, Math.round(random.normal(3.7, 0.9))));
      const enps = Math.max(0, Math.min(10, Math.round(random.normal(6 + (satisfaction - 3.7), 1.8))));
      await out.engagement.write([e.id, isoDate(at), satisfaction, enps]);
    }
  }
}

