/**
 * `crm-eval run --example servicenow`: a real, messy event log. Every incident becomes a ticket
 * or a quarantined row with its reason; the status history splits resolution time into
 * customer wait (Awaiting User Info) and internal time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExtractOutput } from '../../../workflows/activities.ts';
import type { Warehouse } from '../../../warehouse/warehouse.ts';
import { runExample } from '../../fixtures/example.ts';

let warehouse: Warehouse;
let extracts: ExtractOutput[];

beforeAll(async () => {
  const run = await runExample('servicenow');
  warehouse = run.warehouse;
  extracts = run.result.outcomes.filter((o) => o.step.kind === 'extract').map((o) => o.output as ExtractOutput);
});

describe('the servicenow example', () => {
  it('accounts for every incident and every event', () => {
    const tickets = extracts.find((e) => e.entity === 'tickets')!;
    const events = extracts.find((e) => e.entity === 'ticket_events')!;
    expect(tickets.rowsRead).toBe(tickets.rowsLoaded + tickets.rowsQuarantined);
    expect(events.rowsRead).toBe(5998);
    expect(events.rowsRead).toBe(events.rowsLoaded + events.rowsQuarantined);
  });

  it('quarantines incidents whose first response precedes their opening, with the reason', async () => {
    const rows = await warehouse.all<{ reason: string }>(`SELECT reason FROM quarantine.crm_tickets`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.reason).toMatch(/is before created_at/);
  });

  it('splits resolution time into customer wait and internal time', async () => {
    const [row] = await warehouse.all<{ wait: number; internal: number; resolution: number }>(`
      SELECT avg(customer_wait_hours_mean) AS wait, avg(internal_hours_mean) AS internal, avg(resolution_hours_mean) AS resolution
      FROM marts.efficiency_monthly WHERE cut = 'all'`);
    expect(row!.wait).toBeGreaterThan(0);
    expect(row!.internal).toBeGreaterThan(0);
  });
});
