import { z } from 'zod';
import { col, defineEntity } from '../contract.ts';

export const SurveySchema = z.object({
  response_id: col.id().describe('survey response key'),
  customer_id: col.id().describe('the responding customer'),
  ticket_id: col.text().min(1).nullable().describe('the ticket surveyed, for transactional surveys'),
  survey_type: z.enum(['csat', 'nps', 'ces']).describe('csat 1-5, nps 0-10, ces 1-7'),
  score: z.int().min(0).max(10).describe('the answer on the scale of its survey_type'),
  comment: col.text().nullable().describe('free text, any language (Chinese common)'),
  responded_at: col.timestamp().describe('when the customer answered; attributes it to a month'),
});
export type Survey = z.infer<typeof SurveySchema>;

export const surveys = defineEntity({
  source: 'crm',
  entity: 'surveys',
  description: 'one row per survey response',
  schema: SurveySchema,
  key: ['response_id'],
  watermark: 'responded_at',
  rules: [
    { field: 'score', sql: `survey_type <> 'csat' OR score BETWEEN 1 AND 5`, message: 'csat score outside 1-5' },
    { field: 'score', sql: `survey_type <> 'ces' OR score BETWEEN 1 AND 7`, message: 'ces score outside 1-7' },
  ],
});
