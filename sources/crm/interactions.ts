import { z } from 'zod';
import { col, defineEntity } from '../contract.ts';

export const InteractionSchema = z.object({
  interaction_id: col.id().describe('touchpoint key (互动)'),
  customer_id: col.id().describe('the customer'),
  occurred_at: col.timestamp().describe('when it happened'),
  channel: col.text().min(1).describe('where it happened, e.g. app, web, store, phone'),
  kind: z.enum(['visit', 'login', 'email_open', 'call', 'chat', 'event']).describe('kind of touchpoint'),
});
export type Interaction = z.infer<typeof InteractionSchema>;

export const interactions = defineEntity({
  source: 'crm',
  entity: 'interactions',
  description: 'one row per customer touchpoint',
  schema: InteractionSchema,
  key: ['interaction_id'],
  watermark: 'occurred_at',
});
