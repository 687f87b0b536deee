import { z } from 'zod';
import { col, defineEntity } from '../contract.ts';

export const TimesheetSchema = z.object({
  employee_id: col.id().describe('the employee'),
  work_date: col.date().describe('the working day'),
  hours_worked: col.number().min(0).max(24).describe('hours worked that day'),
});
export type Timesheet = z.infer<typeof TimesheetSchema>;

export const timesheets = defineEntity({
  source: 'hr',
  entity: 'timesheets',
  description: 'one row per employee and working day',
  schema: TimesheetSchema,
  key: ['employee_id', 'work_date'],
  watermark: 'work_date',
});
