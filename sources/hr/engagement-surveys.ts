import { z } from 'zod';
import { col, defineEntity } from '../contract.ts';

export const EngagementSurveySchema = z.object({
  employee_id: col.id().describe('the employee'),
  surveyed_at: col.date().describe('survey date'),
  satisfaction: z.int().min(1).max(5).describe('员工满意度, 1-5'),
  enps: z.int().min(0).max(10).nullable().describe('employee NPS answer, 0-10; empty when the survey did not ask it'),
});
export type EngagementSurvey = z.infer<typeof EngagementSurveySchema>;

export const engagementSurveys = defineEntity({
  source: 'hr',
  entity: 'engagement_surveys',
  description: 'one row per employee and survey',
  schema: EngagementSurveySchema,
  key: ['employee_id', 'surveyed_at'],
  watermark: 'surveyed_at',
});
