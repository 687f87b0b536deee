/**
 * A few rows that break their contract in the ways real exports do, planted so that every run
 * of the reference company shows quarantine at work, and a test can check that exactly these
 * rows (and nothing else) are quarantined. Each is recorded in the manifest with its line.
 */
import type { CsvWriter, Cell } from './csv-writer.ts';

export interface PlantedDefect {
  entity: string;
  id: string;
  line: number;
  field: string;
  kind: string;
}

interface Context {
  customerId: string;
  agentId: string;
  at: string;
  later: string;
}

type Row = Record<string, Cell>;

const DEFECTS: Array<{ entity: string; field: string; kind: string; row: (c: Context, id: string) => Row }> = [
  { entity: 'crm.tickets', field: 'priority', kind: 'value outside the allowed set (URGENT)', row: (c, id) => ticket(c, id, { priority: 'URGENT' }) },
  { entity: 'crm.tickets', field: 'resolved_at', kind: 'resolved before it was created', row: (c, id) => ticket(c, id, { resolved_at: '2020-01-01T00:00:00Z', closed_at: null }) },
  { entity: 'crm.tickets', field: 'customer_id', kind: 'required value missing', row: (c, id) => ticket(c, id, { customer_id: null }) },
  { entity: 'crm.orders', field: 'amount', kind: 'decimal comma (12,50)', row: (c, id) => order(c, id, { amount: '12,50' }) },
  { entity: 'crm.orders', field: 'ordered_at', kind: 'timestamp without a time zone', row: (c, id) => order(c, id, { ordered_at: c.at.slice(0, 16).replace('T', ' ') }) },
  { entity: 'crm.surveys', field: 'score', kind: 'CSAT score 9 on a 1-5 scale', row: (c, id) => ({ response_id: id, customer_id: c.customerId, ticket_id: null, survey_type: 'csat', score: 9, comment: null, responded_at: c.at }) },
  { entity: 'hr.timesheets', field: 'hours_worked', kind: '25 hours in a day', row: (c) => ({ employee_id: c.agentId, work_date: c.at.slice(0, 10), hours_worked: 25 }) },
  { entity: 'finance.gl_entries', field: 'cost_center', kind: 'unknown cost centre', row: (c, id) => ({ entry_id: id, posted_on: c.at.slice(0, 10), account: '6999', cost_center: 'facilities', amount: '100.00', cost_nature: 'indirect', cost_behavior: 'fixed', project: null, description: 'Misposted line' }) },
];

function ticket(c: Context, id: string, changes: Row): Row {
  return {
    ticket_id: id, customer_id: c.customerId, created_at: c.at, first_response_at: c.at, resolved_at: c.later, closed_at: c.later,
    channel: 'email', priority: 'normal', category: 'billing', is_complaint: false, agent_id: c.agentId, contacts: 1, reopened: 0, handle_seconds: 600,
    ...changes,
  };
}

function order(c: Context, id: string, changes: Row): Row {
  return { order_id: id, customer_id: c.customerId, ordered_at: c.at, amount: '99.00', gross_margin: null, channel: 'online', status: 'completed', ...changes };
}

/** Writes the defect rows into the open files (in the middle of them) and says where they went. */
export async function writeDefects(writers: Record<string, CsvWriter>, context: Context): Promise<PlantedDefect[]> {
  const planted: PlantedDefect[] = [];
  for (const [i, d] of DEFECTS.entries()) {
    const writer = writers[d.entity]!;
    const id = `BAD${i + 1}`;
    const row = d.row(context, id);
    await writer.write(writer.columns.map((column) => row[column]));
    // the header is line 1, so the n-th row is on line n + 1
    planted.push({ entity: d.entity, id, line: writer.rows + 1, field: d.field, kind: d.kind });
  }
  return planted;
}
