import { z } from 'zod';
import { col, defineEntity, notBefore } from '../contract.ts';

export const EmployeeSchema = z.object({
  employee_id: col.id().describe('employee key; tickets.agent_id refers to it'),
  department: col.text().min(1).describe('department'),
  role: z.enum(['agent', 'supervisor', 'manager', 'other']).describe('role'),
  team: col.text().min(1).describe('team'),
  hired_at: col.date().describe('first day'),
  terminated_at: col.date().nullable().describe('last day; empty while employed'),
  monthly_salary: col.money().min(0).describe('monthly salary cost'),
  fte: col.number().gt(0).max(1).describe('full-time equivalent, 0-1'),
});
export type Employee = z.infer<typeof EmployeeSchema>;

export const employees = defineEntity({
  source: 'hr',
  entity: 'employees',
  description: 'one row per employee',
  schema: EmployeeSchema,
  key: ['employee_id'],
  rules: [notBefore('terminated_at', 'hired_at')],
  // An empty terminated_at means "still employed": emptying a bad one would keep a leaver in
  // headcount and cost forever, so it rejects the row instead.
  severity: { terminated_at: 'reject' },
  // a contract signed for next month, a notice period already agreed
  mayBeFuture: ['hired_at', 'terminated_at'],
});
