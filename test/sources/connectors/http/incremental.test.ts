/**
 * Incremental reads: the second load asks only for what changed since the first one's mark
 * (minus the lookback), picks up exactly the changes, reads the boundary again without
 * doubling a record, and catches a late write dated just before the mark.
 */
import { expect, it } from 'vitest';
import { zendeskTicket, type ApiRecord } from '../../../../sources/examples/crm-api/shapes.ts';
import { readCsv } from '../../../fixtures/reference-files.ts';
import { apiSource, emulatorFixture, extract, freshWarehouse, latestChecksum } from './api.ts';

const fixture = emulatorFixture();

const LOOKBACK_DAYS = 30;
const tickets = () => ({
  'crm.tickets': apiSource(fixture.api.url, 'crm.tickets', {
    incremental: { cursor_field: 'updated_at', param: 'start_time', format: 'unix_seconds', lookback: `${LOOKBACK_DAYS} days` },
  }),
});

it('Zendesk tickets: the second load reads the changes, the late write and the lookback window, and staging holds every ticket once', async () => {
  const warehouse = await freshWarehouse();
  try {
    const first = await extract(warehouse, tickets(), 'crm.tickets', 'night-1');
    expect(first.rowsFetched).toBe(805);
    const mark = Math.max(...fixture.api.collection('tickets').map((t) => Date.parse(String(t.updated_at))));
    const inLookback = fixture.api.collection('tickets').filter((t) => Date.parse(String(t.updated_at)) >= mark - LOOKBACK_DAYS * 86_400_000).length;
    expect(inLookback).toBeGreaterThan(0);

    // Overnight: two tickets change, one new ticket is written late (dated a day before the mark).
    const rows = await readCsv(`${fixture.dataDir}/crm/tickets.csv`);
    for (const id of ['T1', 'T2']) {
      const record = structuredClone(fixture.api.collection('tickets').find((t) => t.id === id)!);
      record.priority = 'urgent';
      record.updated_at = new Date(mark + 3_600_000).toISOString();
      fixture.api.upsert('tickets', record);
    }
    const late = zendeskTicket({ ...rows[0]!, ticket_id: 'T-LATE' });
    late.updated_at = new Date(mark - 86_400_000).toISOString();
    fixture.api.upsert('tickets', late);

    const second = await extract(warehouse, tickets(), 'crm.tickets', 'night-2');
    // the two changed, the late one, and what the lookback reads again (the late one is in it)
    expect(second.rowsFetched).toBe(inLookback + 3);
    expect(second.rowsLoaded).toBe(second.rowsFetched);
    const latest = await warehouse.all<{ ticket_id: string; priority: string }>(`
      SELECT ticket_id, priority FROM raw.crm_tickets
      WHERE load_id = 'night-2' AND ticket_id IN ('T1', 'T2', 'T-LATE') ORDER BY 1`);
    expect(latest).toEqual([
      { ticket_id: 'T-LATE', priority: rows[0]!.priority },
      { ticket_id: 'T1', priority: 'urgent' },
      { ticket_id: 'T2', priority: 'urgent' },
    ]);
    // staging: 806 tickets, each once, the same as a full read of the API as it is now
    const incremental = await latestChecksum(warehouse, 'crm.tickets');
    expect(incremental.rows).toBe(806);
    const full = await freshWarehouse();
    try {
      await extract(full, { 'crm.tickets': apiSource(fixture.api.url, 'crm.tickets') }, 'crm.tickets', 'full');
      expect(await latestChecksum(full, 'crm.tickets')).toEqual(incremental);
    } finally {
      full.close();
    }
    // the load log and the marks: night-2 was a read of changes after night-1's mark
    const marks = await warehouse.all<{ load_id: string; mark: string }>(`SELECT load_id, CAST(mark AS VARCHAR) AS mark FROM meta.source_marks ORDER BY committed_at`);
    expect(marks.map((m) => m.load_id)).toEqual(['night-1', 'night-2']);
    expect(JSON.parse(marks[0]!.mark).high_water).toBe(new Date(mark).toISOString());
    expect(JSON.parse(marks[1]!.mark).high_water).toBe(new Date(mark + 3_600_000).toISOString());
  } finally {
    warehouse.close();
  }
});

it('HubSpot contacts: the search reads only the contacts modified since the mark', async () => {
  const warehouse = await freshWarehouse();
  try {
    const sources = { 'crm.customers': apiSource(fixture.api.url, 'crm.customers', { incremental: { cursor_field: 'properties.hs_lastmodifieddate', format: 'unix_millis', lookback: 0 } }) };
    const first = await extract(warehouse, sources, 'crm.customers', 'night-1');
    expect(first.rowsFetched).toBe(500);
    const modified = (c: ApiRecord) => Date.parse((c.properties as Record<string, string>).hs_lastmodifieddate!);
    const mark = Math.max(...fixture.api.collection('contacts').map(modified));
    // the search asks for modified ≥ mark: the contact(s) at the mark are read again
    const atMark = fixture.api.collection('contacts').filter((c) => modified(c) === mark).length;
    const contact = structuredClone(fixture.api.collection('contacts')[10]!);
    const properties = contact.properties as Record<string, string>;
    properties.segment = 'vip';
    properties.hs_lastmodifieddate = new Date().toISOString();
    fixture.api.upsert('contacts', contact);
    const second = await extract(warehouse, sources, 'crm.customers', 'night-2');
    expect(second.rowsFetched).toBe(1 + atMark);
    const loaded = await warehouse.one<{ customer_id: string; segment: string }>(
      `SELECT customer_id, segment FROM raw.crm_customers WHERE load_id = 'night-2' AND customer_id = $1`,
      [properties.customer_id],
    );
    expect(loaded).toEqual({ customer_id: properties.customer_id, segment: 'vip' });
    expect((await latestChecksum(warehouse, 'crm.customers')).rows).toBe(500);
  } finally {
    warehouse.close();
  }
});
