import { z } from 'zod';
import { col, defineEntity, notBefore } from '../contract.ts';

export const TicketSchema = z.object({
  ticket_id: col.id().describe('service request key (服务请求), complaints included'),
  customer_id: col.id().describe('the customer who asked'),
  created_at: col.timestamp().describe('when the request was opened; attributes it to a month'),
  first_response_at: col.timestamp().nullable().describe('first agent response; empty while unanswered'),
  resolved_at: col.timestamp().nullable().describe('when it was resolved; empty while open'),
  closed_at: col.timestamp().nullable().describe('when it was closed'),
  channel: z.enum(['phone', 'email', 'chat', 'social', 'web']).describe('contact channel'),
  priority: z.enum(['urgent', 'high', 'normal', 'low']).describe('priority; selects the SLA target'),
  category: col.text().min(1).describe('request category'),
  is_complaint: col.flag().describe('a complaint (投诉)'),
  agent_id: col.text().min(1).nullable().describe('the employee_id of the assigned agent'),
  // Empty when the export does not know (FCR and AHT then leave the ticket out; 0 would be a claim).
  contacts: col.count().nullable().describe('customer contacts until resolved'),
  reopened: col.count().nullable().describe('times the ticket was reopened'),
  handle_seconds: col.count().nullable().describe('agent active time on the ticket, in seconds'),
});
export type Ticket = z.infer<typeof TicketSchema>;

export const tickets = defineEntity({
  source: 'crm',
  entity: 'tickets',
  description: 'one row per ticket',
  schema: TicketSchema,
  key: ['ticket_id'],
  // An empty resolved_at or closed_at means "still open": emptying a bad one would move a
  // finished ticket into the backlog and out of resolution time, so it rejects the row instead.
  // A bad first_response_at is emptied (the ticket counts, response time leaves it out).
  severity: { resolved_at: 'reject', closed_at: 'reject' },
  rules: [
    notBefore('first_response_at', 'created_at'),
    notBefore('resolved_at', 'created_at'),
    notBefore('closed_at', 'created_at'),
  ],
});
