/** Every source entity of the contract (METRICS.md §1), in the order they are listed there. */
import type { EntityContract } from './contract.ts';
import { customers } from './crm/customers.ts';
import { orders } from './crm/orders.ts';
import { tickets } from './crm/tickets.ts';
import { ticketEvents } from './crm/ticket-events.ts';
import { surveys } from './crm/surveys.ts';
import { referrals } from './crm/referrals.ts';
import { interactions } from './crm/interactions.ts';
import { glEntries } from './finance/gl-entries.ts';
import { budgets } from './finance/budgets.ts';
import { employees } from './hr/employees.ts';
import { timesheets } from './hr/timesheets.ts';
import { training } from './hr/training.ts';
import { engagementSurveys } from './hr/engagement-surveys.ts';

export const entities: readonly EntityContract[] = [
  customers, orders, tickets, ticketEvents, surveys, referrals, interactions,
  glEntries, budgets,
  employees, timesheets, training, engagementSurveys,
];

export function findEntity(source: string, entity: string): EntityContract {
  const found = entities.find((e) => e.source === source && e.entity === entity);
  if (!found) throw new Error(`unknown source entity ${source}.${entity}`);
  return found;
}
