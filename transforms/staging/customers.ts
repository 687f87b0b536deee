import { z } from 'zod';
import { customers } from '../../sources/crm/customers.ts';
import { defineModel } from '../framework/model.ts';
import { hashEmail, hashPhone } from './_pii.ts';
import { latestVersion, rawTable, stagingContract } from './_staging.ts';

const sha256 = () => z.string().regex(/^[0-9a-f]{64}$/).nullable();

export const model = defineModel({
  name: 'staging.customers',
  description: 'Customers, deduplicated; email and phone replaced by salted hashes.',
  grain: 'one row per customer',
  key: customers.key,
  dependsOn: [rawTable(customers)],
  contract: stagingContract(customers, {
    email_hash: sha256().describe('salted SHA-256 of the lower-cased email'),
    phone_hash: sha256().describe('salted SHA-256 of the phone digits'),
  }),
  build: ({ piiSalt }) =>
    latestVersion(customers, [`${hashEmail('email', piiSalt)} AS email_hash`, `${hashPhone('phone', piiSalt)} AS phone_hash`]),
});
