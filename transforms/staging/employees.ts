import { employees } from '../../sources/hr/employees.ts';
import { invariant } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { latestVersion, rawTable, stagingContract } from './_staging.ts';

export const model = defineModel({
  name: 'staging.employees',
  description: 'Employees with role, team, employment dates and salary.',
  grain: 'one row per employee',
  key: employees.key,
  dependsOn: [rawTable(employees)],
  contract: stagingContract(employees),
  tests: [invariant('terminated_at ≥ hired_at', 'terminated_at >= hired_at', employees.key)],
  build: () => latestVersion(employees),
});
