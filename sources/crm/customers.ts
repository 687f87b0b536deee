import { z } from 'zod';
import { col, defineEntity } from '../contract.ts';

export const CustomerSchema = z.object({
  customer_id: col.id().describe('customer key'),
  created_at: col.timestamp().describe('when the customer record was created'),
  segment: col.text().min(1).describe('commercial segment, e.g. retail / vip / business'),
  region: col.text().min(1).describe('sales region; a control group may be a set of regions'),
  gender: z.enum(['f', 'm', 'other', 'unknown']).describe('as recorded'),
  birth_year: z.int().min(1900).max(2100).nullable().describe('for age bands; may be unknown'),
  acquisition_channel: col.text().min(1).describe('how the customer was acquired'),
  email: col.text().nullable().describe('PII: hashed in staging'),
  phone: col.text().nullable().describe('PII: hashed in staging'),
});
export type Customer = z.infer<typeof CustomerSchema>;

export const customers = defineEntity({
  source: 'crm',
  entity: 'customers',
  description: 'one row per customer',
  schema: CustomerSchema,
  key: ['customer_id'],
  pii: ['email', 'phone'],
});
