import { ticketEvents } from '../../sources/crm/ticket-events.ts';
import { relationship } from '../framework/data-tests.ts';
import { defineModel } from '../framework/model.ts';
import { latestVersion, rawTable, stagingContract } from './_staging.ts';

export const model = defineModel({
  name: 'staging.ticket_events',
  description: 'Ticket status history; empty when the source does not deliver it.',
  grain: 'one row per ticket, time and status',
  key: ticketEvents.key,
  dependsOn: [rawTable(ticketEvents), 'staging.tickets'],
  contract: stagingContract(ticketEvents),
  tests: [relationship('ticket_id', 'staging.tickets', 'ticket_id', { severity: 'warn' })],
  build: () => latestVersion(ticketEvents),
});
