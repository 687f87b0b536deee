import { z } from 'zod';
import { col, defineEntity } from '../contract.ts';

export const CostCenter = z.enum(['customer_service', 'marketing', 'sales', 'crm_program', 'it']);

export const GlEntrySchema = z.object({
  entry_id: col.id().describe('general ledger line key'),
  posted_on: col.date().describe('posting date; attributes the line to a month'),
  account: col.text().min(1).describe('ledger account'),
  cost_center: CostCenter.describe('cost centre'),
  amount: col.money().describe('amount in the company currency (costs positive)'),
  cost_nature: z.enum(['direct', 'indirect']).describe('直接/间接'),
  cost_behavior: z.enum(['fixed', 'variable']).describe('固定/可变'),
  project: col.text().min(1).nullable().describe('"crm" marks CRM investment (licences, implementation, migration, training)'),
  description: col.text().nullable().describe('line text'),
});
export type GlEntry = z.infer<typeof GlEntrySchema>;

export const glEntries = defineEntity({
  source: 'finance',
  entity: 'gl_entries',
  description: 'one row per general ledger line',
  schema: GlEntrySchema,
  key: ['entry_id'],
  watermark: 'posted_on',
});
