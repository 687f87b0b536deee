import { referrals } from '../../sources/crm/referrals.ts';
import { relationship } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { latestVersion, rawTable, stagingContract } from './_staging.ts';

export const model = defineModel({
  name: 'staging.referrals',
  description: 'Referrals made by customers and whether they converted.',
  grain: 'one row per referral',
  key: referrals.key,
  dependsOn: [rawTable(referrals), 'staging.customers'],
  contract: stagingContract(referrals),
  tests: [relationship('referrer_customer_id', 'staging.customers', 'customer_id', { severity: 'warn' })],
  build: () => latestVersion(referrals),
});
