import { z } from 'zod';
import { col, defineEntity } from '../contract.ts';

export const TrainingSchema = z.object({
  employee_id: col.id().describe('the employee trained'),
  course: col.text().min(1).describe('course name'),
  completed_at: col.date().describe('completion date'),
  hours: col.number().min(0).describe('training hours'),
  score: col.number().min(0).max(100).nullable().describe('assessment score, if any'),
});
export type Training = z.infer<typeof TrainingSchema>;

export const training = defineEntity({
  source: 'hr',
  entity: 'training',
  description: 'one row per completed course per employee',
  schema: TrainingSchema,
  key: ['employee_id', 'course', 'completed_at'],
  watermark: 'completed_at',
});
