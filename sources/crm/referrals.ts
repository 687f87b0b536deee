import { z } from 'zod';
import { col, defineEntity } from '../contract.ts';

export const ReferralSchema = z.object({
  referral_id: col.id().describe('referral key'),
  referrer_customer_id: col.id().describe('the customer who recommended us'),
  referred_customer_id: col.text().min(1).nullable().describe('the new customer, once known'),
  referred_at: col.timestamp().describe('when the referral was made'),
  converted: col.flag().describe('the referred person became a customer'),
});
export type Referral = z.infer<typeof ReferralSchema>;

export const referrals = defineEntity({
  source: 'crm',
  entity: 'referrals',
  description: 'one row per referral',
  schema: ReferralSchema,
  key: ['referral_id'],
});
