import { glEntries } from '../../sources/finance/gl-entries.ts';
import { defineModel } from '../framework/model.ts';
import { latestVersion, rawTable, stagingContract } from './_staging.ts';

export const model = defineModel({
  name: 'staging.gl_entries',
  description: 'General ledger lines; project = crm marks CRM investment.',
  grain: 'one row per ledger line',
  key: glEntries.key,
  dependsOn: [rawTable(glEntries)],
  contract: stagingContract(glEntries),
  build: () => latestVersion(glEntries),
});
