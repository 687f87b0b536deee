import { timesheets } from '../../sources/hr/timesheets.ts';
import { relationship } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { latestVersion, rawTable, stagingContract } from './_staging.ts';

export const model = defineModel({
  name: 'staging.timesheets',
  description: 'Hours worked per employee and day.',
  grain: 'one row per employee and working day',
  key: timesheets.key,
  dependsOn: [rawTable(timesheets), 'staging.employees'],
  contract: stagingContract(timesheets),
  tests: [relationship('employee_id', 'staging.employees', 'employee_id', { severity: 'warn' })],
  build: () => latestVersion(timesheets),
});
