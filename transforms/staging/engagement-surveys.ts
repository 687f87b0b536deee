import { engagementSurveys } from '../../sources/hr/engagement-surveys.ts';
import { relationship } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { latestVersion, rawTable, stagingContract } from './_staging.ts';

export const model = defineModel({
  name: 'staging.engagement_surveys',
  description: 'Employee engagement survey answers (员工满意度, eNPS).',
  grain: 'one row per employee and survey date',
  key: engagementSurveys.key,
  dependsOn: [rawTable(engagementSurveys), 'staging.employees'],
  contract: stagingContract(engagementSurveys),
  tests: [relationship('employee_id', 'staging.employees', 'employee_id', { severity: 'warn' })],
  build: () => latestVersion(engagementSurveys),
});
