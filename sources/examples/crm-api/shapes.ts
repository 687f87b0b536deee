/**
 * The reference company's rows as two real APIs would hold them: tickets and satisfaction
 * ratings in Zendesk Support's shape, contacts and orders in HubSpot CRM v3's. The presets in
 * sources/connectors/http/presets/ map them back onto the contract; these functions are the
 * other direction, so an extract through the API can be compared with a load of the files.
 */
type Row = Record<string, string | null>;
export type ApiRecord = Record<string, unknown>;

/** When a record last changed: its latest time (the emulator bumps it on an update). */
export function lastChange(row: Row, columns: readonly string[]): string {
  return columns
    .map((c) => row[c])
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}

const number = (v: string | null) => (v === null || v === '' ? null : Number(v));
const text = (v: string | null) => (v === '' ? null : v);
const iso = (v: string | null) => (v === null || v === '' ? null : new Date(v).toISOString());
const CHANNEL: Record<string, string> = { phone: 'voice', email: 'email', chat: 'chat', social: 'twitter', web: 'web' };

/** Custom field ids of the preset (sources/connectors/http/presets/zendesk-support.yaml). */
const FIELD = { category: 360000000002, agent: 360000000003, contacts: 360000000004, handle: 360000000005, firstResponse: 360000000006, closed: 360000000007 };

export function zendeskTicket(row: Row): ApiRecord {
  return {
    id: row.ticket_id,
    url: `/api/v2/tickets/${row.ticket_id}.json`,
    requester_id: row.customer_id,
    created_at: iso(row.created_at),
    updated_at: iso(lastChange(row, ['created_at', 'first_response_at', 'resolved_at', 'closed_at'])),
    subject: `${row.category} request`,
    via: { channel: CHANNEL[row.channel ?? ''] ?? row.channel },
    priority: row.priority,
    type: row.is_complaint === 'true' ? 'problem' : 'question',
    status: row.closed_at ? 'closed' : row.resolved_at ? 'solved' : 'open',
    custom_fields: [
      { id: FIELD.category, value: row.category },
      { id: FIELD.agent, value: text(row.agent_id) },
      { id: FIELD.contacts, value: number(row.contacts) },
      { id: FIELD.handle, value: number(row.handle_seconds) },
      { id: FIELD.firstResponse, value: iso(row.first_response_at) },
      { id: FIELD.closed, value: iso(row.closed_at) },
    ],
    metric_set: { solved_at: iso(row.resolved_at), reopens: number(row.reopened) },
  };
}

export function zendeskRating(row: Row): ApiRecord {
  return {
    id: row.response_id,
    url: `/api/v2/satisfaction_ratings/${row.response_id}.json`,
    requester_id: row.customer_id,
    ticket_id: text(row.ticket_id),
    survey: row.survey_type,
    score: number(row.score),
    comment: text(row.comment),
    created_at: iso(row.responded_at),
    updated_at: iso(row.responded_at),
  };
}

function hubspotObject(id: number, properties: Record<string, string | null>, created: string | null): ApiRecord {
  return { id: String(id), properties, createdAt: created, updatedAt: properties.hs_lastmodifieddate, archived: false };
}

export function hubspotContact(row: Row, id: number): ApiRecord {
  const created = iso(row.created_at);
  return hubspotObject(
    id,
    {
      customer_id: row.customer_id,
      createdate: created,
      segment: row.segment,
      region: row.region,
      gender: row.gender,
      birth_year: text(row.birth_year),
      acquisition_channel: row.acquisition_channel,
      email: text(row.email),
      phone: text(row.phone),
      hs_lastmodifieddate: created,
      hs_object_id: String(id),
    },
    created,
  );
}

const STAGE: Record<string, string> = { completed: 'closed_won', cancelled: 'cancelled', returned: 'returned' };

export function hubspotOrder(row: Row, id: number): ApiRecord {
  const ordered = iso(row.ordered_at);
  return hubspotObject(
    id,
    {
      hs_order_name: row.order_id,
      customer_id: row.customer_id,
      hs_createdate: ordered,
      hs_total_price: row.amount,
      gross_margin: text(row.gross_margin),
      hs_source_store: row.channel,
      hs_pipeline_stage: STAGE[row.status ?? ''] ?? row.status,
      hs_lastmodifieddate: ordered,
      hs_object_id: String(id),
    },
    ordered,
  );
}

/** The time a record last changed, as the API orders by it. */
export function changedAt(record: ApiRecord): number {
  const properties = record.properties as Record<string, string | null> | undefined;
  return Date.parse(String(properties ? properties.hs_lastmodifieddate : record.updated_at));
}

/** Marks a record as changed now (an agent edited it during the crawl). */
export function touch(record: ApiRecord, at: Date): void {
  const properties = record.properties as Record<string, string | null> | undefined;
  if (properties) {
    properties.hs_lastmodifieddate = at.toISOString();
    record.updatedAt = at.toISOString();
  } else record.updated_at = at.toISOString();
}
