/**
 * `crm-eval run --example servicenow`: a real, messy event log. Every incident becomes a ticket
 * (a bad optional field emptied, with its reason) or a quarantined row with its reason; the status history splits resolution time into
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
    // every incident is a ticket: the two whose first response precedes their opening load without it
    expect(tickets).toMatchObject({ rowsRead: 890, rowsLoaded: 890, rowsQuarantined: 0, fieldsNulled: 2 });
    expect(events.rowsRead).toBe(5998);
    expect(events.rowsRead).toBe(events.rowsLoaded + events.rowsQuarantined);
  });

  it('keeps incidents whose first response precedes their opening, without that response, and records why', async () => {
    const issues = await warehouse.all<{ ticket_id: string; field: string; reason: string; first_response_at: string | null }>(`
      SELECT t.ticket_id, f.field, f.reason, t.first_response_at
      FROM quarantine.crm_tickets_fields f JOIN raw.crm_tickets t USING (load_id, source_row)
      ORDER BY t.ticket_id`);
    expect(issues).toHaveLength(2);
    for (const i of issues) {
      expect(i).toMatchObject({ field: 'first_response_at', first_response_at: null });
      expect(i.reason).toMatch(/is before created_at/);
    }
    expect(await warehouse.all(`SELECT count(*)::INT AS n FROM staging.tickets`)).toEqual([{ n: 890 }]);
  });

  it('splits resolution time into customer wait and internal time', async () => {
    const [row] = await warehouse.all<{ wait: number; internal: number; resolution: number }>(`
      SELECT avg(customer_wait_hours_mean) AS wait, avg(internal_hours_mean) AS internal, avg(resolution_hours_mean) AS resolution
      FROM marts.efficiency_monthly WHERE cut = 'all'`);
    expect(row!.wait).toBeGreaterThan(0);
    expect(row!.internal).toBeGreaterThan(0);
  });
});
