import { training } from '../../sources/hr/training.ts';
import { relationship } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { latestVersion, rawTable, stagingContract } from './_staging.ts';

export const model = defineModel({
  name: 'staging.training',
  description: 'Completed training courses per employee.',
  grain: 'one row per employee, course and completion date',
  key: training.key,
  dependsOn: [rawTable(training), 'staging.employees'],
  contract: stagingContract(training),
  tests: [relationship('employee_id', 'staging.employees', 'employee_id', { severity: 'warn' })],
  build: () => latestVersion(training),
});
