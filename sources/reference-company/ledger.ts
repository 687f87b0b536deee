/**
 * The general ledger and budgets: service costs that follow the roster and ticket volumes
 * (salaries, agents paid for the hours they worked, per-ticket telephony and outsourcing,
 * facilities per seat), marketing that follows
 * acquisition, sales commissions that follow revenue, and the CRM programme (project "crm"):
 * implementation and data migration before go-live, training at go-live, licences and support
 * afterwards. Amounts scale with the size of the company.
 */
import { DAY, isoDate, type Timeline } from './calendar.ts';
import type { CsvWriter } from './csv-writer.ts';
import type { MonthlyTotals } from './activity.ts';
import { employed, type Employee } from './people.ts';
import type { Random } from './random.ts';

type Line = [account: string, costCenter: string, amount: number, nature: 'direct' | 'indirect', behavior: 'fixed' | 'variable', project: string | null, description: string];

/** per occupied seat (one per FTE on the payroll) a month: rent, workstation, headset */
const SEAT_COST = 1500;

/** `totals.worked`: per month the agents' hours worked ÷ planned (timesheets.ts) */
export async function writeLedger(random: Random, t: Timeline, roster: readonly Employee[], totals: MonthlyTotals & { worked: readonly number[] }, scale: number, ledger: CsvWriter, budgets: CsvWriter): Promise<void> {
  let entry = 0;
  const goLiveMonth = t.monthStarts.findIndex((m) => m >= t.goLive);
  for (let m = 0; m < t.monthStarts.length - 1; m++) {
    const mid = (t.monthStarts[m]! + t.monthStarts[m + 1]!) / 2;
    const onPayroll = roster.filter((e) => employed(e, mid));
    const payroll = (role: (e: Employee) => boolean) => onPayroll.filter(role).reduce((s, e) => s + e.monthlySalary * e.fte, 0);
    const seats = onPayroll.reduce((s, e) => s + e.fte, 0);
    const noisy = (x: number) => Math.round(x * random.between(0.97, 1.03) * 100) / 100;
    const lines: Line[] = [
      ['6601', 'customer_service', Math.round(payroll((e) => e.role === 'agent') * totals.worked[m]! * 100) / 100, 'direct', 'fixed', null, 'Agent salaries'],
      ['6602', 'customer_service', payroll((e) => e.role !== 'agent'), 'indirect', 'fixed', null, 'Supervision and management salaries'],
      ['6610', 'customer_service', noisy(totals.tickets[m]! * 14), 'direct', 'variable', null, 'Telephony and contact centre usage'],
      // about 15% of tickets overflow to an outsourced contact centre, paid per ticket
      ['6611', 'customer_service', noisy(totals.tickets[m]! * 0.15 * 38), 'direct', 'variable', null, 'Outsourced overflow handling'],
      ['6620', 'customer_service', noisy(SEAT_COST * seats), 'indirect', 'fixed', null, 'Contact centre facilities'],
      ['6701', 'marketing', noisy(totals.newCustomers[m]! * 160), 'direct', 'variable', null, 'Acquisition campaigns'],
      ['6702', 'marketing', noisy(25000 * scale), 'indirect', 'fixed', null, 'Brand advertising'],
      ['6710', 'marketing', noisy(6000 * scale), 'direct', 'variable', null, 'Loyalty programme'],
      ['6801', 'sales', noisy(40000 * scale), 'direct', 'fixed', null, 'Sales salaries'],
      ['6802', 'sales', noisy(totals.revenue[m]! * 0.025), 'direct', 'variable', null, 'Sales commissions'],
      ['6901', 'it', noisy(12000 * scale), 'indirect', 'fixed', null, 'IT services'],
    ];
    const fromGoLive = m - goLiveMonth;
    if (fromGoLive >= -6 && fromGoLive < 0) lines.push(['1701', 'crm_program', noisy(90000 * scale), 'direct', 'fixed', 'crm', 'CRM implementation']);
    if (fromGoLive === -2) lines.push(['1702', 'crm_program', noisy(60000 * scale), 'direct', 'fixed', 'crm', 'CRM data migration']);
    if (fromGoLive === 0) lines.push(['6630', 'crm_program', noisy(30000 * scale), 'direct', 'fixed', 'crm', 'CRM training']);
    if (fromGoLive >= 0) {
      lines.push(['6640', 'crm_program', noisy(22000 * scale), 'direct', 'fixed', 'crm', 'CRM licences']);
      lines.push(['6641', 'crm_program', noisy(5000 * scale), 'indirect', 'fixed', 'crm', 'CRM support and maintenance']);
    }
    const postedOn = isoDate(t.monthStarts[m + 1]! - DAY);
    const byCenter = new Map<string, number>();
    for (const [account, center, amount, nature, behavior, project, description] of lines) {
      if (amount === 0) continue;
      await ledger.write([`GL${String(++entry).padStart(7, '0')}`, postedOn, account, center, amount.toFixed(2), nature, behavior, project, description]);
      byCenter.set(center, (byCenter.get(center) ?? 0) + amount);
    }
    for (const [center, actual] of byCenter) {
      await budgets.write([isoDate(t.monthStarts[m]!), center, (Math.round(actual * random.between(0.95, 1.08))).toFixed(2)]);
    }
  }
}
