import { z } from 'zod';
import { col, defineEntity, notAbove } from '../contract.ts';

export const OrderSchema = z.object({
  order_id: col.id().describe('order key'),
  customer_id: col.id().describe('the customer who ordered'),
  ordered_at: col.timestamp().describe('order time; attributes the order to a month'),
  amount: col.money().min(0).describe('order value in the company currency'),
  gross_margin: col.money().nullable().describe('margin of the order; when empty the configured margin rate applies'),
  channel: z.enum(['store', 'online', 'phone']).describe('sales channel'),
  status: z.enum(['completed', 'cancelled', 'returned']).describe('order status'),
});
export type Order = z.infer<typeof OrderSchema>;

export const orders = defineEntity({
  source: 'crm',
  entity: 'orders',
  description: 'one row per order',
  schema: OrderSchema,
  key: ['order_id'],
  // staging tests it too; here it quarantines the one row instead of failing the run
  rules: [notAbove('gross_margin', 'amount')],
});
