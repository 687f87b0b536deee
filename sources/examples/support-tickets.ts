/**
 * Support tickets (a simulated 2024 help desk from a public BI study): one row per ticket with
 * channel, category, priority, agent, first response minutes, resolution hours, status,
 * resolved date and a CSAT score. It feeds tickets and CSAT surveys, so the efficiency and
 * satisfaction marts; the data has no CRM go-live, so the case study only shows the method.
 *
 * Mapping: created_date is taken as UTC; first_response_at = created + first_response_minutes;
 * resolved_at = resolved_date for Resolved tickets (others are open); closed_at unknown;
 * channels Chat/Email/Phone/Self-Service/Social Media → chat/email/phone/web/social; priorities
 * Critical/High/Medium/Low → urgent/high/normal/low; not a complaint (the data does not say);
 * contacts, reopens and handle time unknown (empty: no FCR or AHT is claimed); the customer is
 * unknown (one 'unknown' customer); each CSAT score is a survey answered at resolution.
 */
import { join } from 'node:path';
import { literal } from '../../warehouse/warehouse.ts';
import { copyEntity, type Example } from './example.ts';
import { literalFilePattern } from '../load/files.ts';

const TS = (expr: string) => `strftime(${expr}, '%Y-%m-%dT%H:%M:%SZ')`;

export const supportTickets: Example = {
  name: 'support-tickets',
  description: 'simulated 2024 support desk: 5,000 tickets with CSAT (tickets + CSAT → efficiency and satisfaction)',
  dataset: 'support-tickets',
  // The study's first-response SLA: 30 minutes whatever the priority.
  config: {
    crm_go_live: '2024-07-01',
    ramp_up_months: 0,
    control_group: null,
    case_study: { pre_months: 6, post_months: 6 },
    sla: { first_response_hours: { urgent: 0.5, high: 0.5, normal: 0.5, low: 0.5 }, resolution_hours: { urgent: 8, high: 24, normal: 72, low: 120 }, hours: 'calendar' },
  },
  async map(warehouse, datasetDir, out) {
    await warehouse.run(`CREATE OR REPLACE TEMP TABLE st AS SELECT * FROM read_csv(${literal(literalFilePattern(join(datasetDir, 'customer_support_tickets.csv')))}, header = true)`);
    return [
      await copyEntity(warehouse, out, 'crm.customers', `
        SELECT 'unknown' AS customer_id, ${TS('min(created_date)')} AS created_at, 'unknown' AS segment, 'unknown' AS region, 'unknown' AS gender,
               NULL AS birth_year, 'unknown' AS acquisition_channel, NULL AS email, NULL AS phone FROM st`),
      await copyEntity(warehouse, out, 'crm.tickets', `
        SELECT ticket_id, 'unknown' AS customer_id, ${TS('created_date')} AS created_at,
          ${TS(`created_date + to_microseconds(CAST(first_response_minutes * 60000000 AS BIGINT))`)} AS first_response_at,
          CASE WHEN status = 'Resolved' THEN ${TS('resolved_date')} END AS resolved_at, NULL AS closed_at,
          CASE channel WHEN 'Chat' THEN 'chat' WHEN 'Email' THEN 'email' WHEN 'Phone' THEN 'phone' WHEN 'Self-Service' THEN 'web' WHEN 'Social Media' THEN 'social' END AS channel,
          CASE priority WHEN 'Critical' THEN 'urgent' WHEN 'High' THEN 'high' WHEN 'Medium' THEN 'normal' WHEN 'Low' THEN 'low' END AS priority,
          category, false AS is_complaint, agent AS agent_id, NULL AS contacts, NULL AS reopened, NULL AS handle_seconds
        FROM st ORDER BY ticket_id`),
      await copyEntity(warehouse, out, 'crm.surveys', `
        SELECT 'CSAT-' || ticket_id AS response_id, 'unknown' AS customer_id, ticket_id, 'csat' AS survey_type, CAST(csat_score AS INT) AS score,
               NULL AS comment, ${TS('resolved_date')} AS responded_at
        FROM st WHERE csat_score IS NOT NULL AND resolved_date IS NOT NULL ORDER BY ticket_id`),
    ];
  },
};
