import { z } from 'zod';
import { col, defineEntity } from '../contract.ts';

export const TicketEventSchema = z.object({
  ticket_id: col.id().describe('the ticket whose status changed'),
  at: col.timestamp().describe('when the status changed'),
  status: z
    .enum(['new', 'open', 'pending_customer', 'pending_internal', 'solved', 'closed'])
    .describe('status entered; pending_customer is time waiting on the customer (外部等待)'),
});
export type TicketEvent = z.infer<typeof TicketEventSchema>;

export const ticketEvents = defineEntity({
  source: 'crm',
  entity: 'ticket_events',
  description: 'one row per ticket status change',
  schema: TicketEventSchema,
  key: ['ticket_id', 'at', 'status'],
  watermark: 'at',
  optional: true,
});
