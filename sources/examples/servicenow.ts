/**
 * ServiceNow incidents (a sample of the UCI "Incident management process enriched event log",
 * CC BY 4.0): one row per state change of an incident, with opened/resolved/closed times,
 * contact type, priority, assignee, reopen count; dates dd-mm-yyyy hh:mm, '?' for missing.
 * It feeds tickets and their status history, so response and resolution times, backlog,
 * reopen rate and customer-wait vs internal time. Real and messy: rows that break the contract
 * (a state outside it, a resolution before opening) are quarantined, not fixed; a first response
 * logged before the opening loads the ticket without it (recorded in quarantine.crm_tickets_fields).
 *
 * Mapping: an incident's last version (highest sys_mod_count) is the ticket; first_response_at
 * is the first time it became Active (an agent took it); times are taken as UTC; contact types
 * Phone/IVR → phone, Email → email, Self service/Direct opening → web; priorities
 * 1 Critical/2 High/3 Moderate/4 Low → urgent/high/normal/low; caller → customer ('unknown'
 * attributes); states New/Active/Awaiting User Info/Awaiting Problem, Vendor or Evidence/
 * Resolved/Closed → new/open/pending_customer/pending_internal/solved/closed (any other state
 * is kept as delivered, and quarantined); contacts and handle time unknown.
 */
import { join } from 'node:path';
import { literal } from '../../warehouse/warehouse.ts';
import { copyEntity, type Example } from './example.ts';
import { literalFilePattern } from '../load/files.ts';

const TS = (column: string) => `strftime(strptime(nullif(${column}, '?'), '%d-%m-%Y %H:%M'), '%Y-%m-%dT%H:%M:%SZ')`;

export const servicenow: Example = {
  name: 'servicenow',
  description: 'ServiceNow incident event log sample (tickets + status history → efficiency, wait vs internal time)',
  dataset: 'servicenow-incidents',
  // The log covers about two months; there was no CRM go-live in it, so the case study only shows the method.
  config: { crm_go_live: '2016-03-01', ramp_up_months: 0, control_group: null, case_study: { pre_months: 3, post_months: 3 } },
  async map(warehouse, datasetDir, out) {
    await warehouse.run(`CREATE OR REPLACE TEMP TABLE sn AS
      SELECT * FROM read_csv(${literal(literalFilePattern(join(datasetDir, 'incident_event_log.csv')))}, header = true, all_varchar = true)`);
    return [
      await copyEntity(warehouse, out, 'crm.tickets', `
        WITH latest AS (SELECT * FROM sn QUALIFY row_number() OVER (PARTITION BY number ORDER BY CAST(sys_mod_count AS INT) DESC) = 1),
        first_active AS (SELECT number, min(strptime(sys_updated_at, '%d-%m-%Y %H:%M')) AS at FROM sn WHERE incident_state = 'Active' GROUP BY number)
        SELECT l.number AS ticket_id, replace(lower(l.caller_id), ' ', '-') AS customer_id, ${TS('l.opened_at')} AS created_at,
          strftime(f.at, '%Y-%m-%dT%H:%M:%SZ') AS first_response_at, ${TS('l.resolved_at')} AS resolved_at, ${TS('l.closed_at')} AS closed_at,
          CASE l.contact_type WHEN 'Phone' THEN 'phone' WHEN 'IVR' THEN 'phone' WHEN 'Email' THEN 'email' WHEN 'Self service' THEN 'web' WHEN 'Direct opening' THEN 'web' ELSE l.contact_type END AS channel,
          CASE left(l.priority, 1) WHEN '1' THEN 'urgent' WHEN '2' THEN 'high' WHEN '3' THEN 'normal' WHEN '4' THEN 'low' ELSE l.priority END AS priority,
          l.category, false AS is_complaint, nullif(l.assigned_to, '?') AS agent_id, NULL AS contacts, l.reopen_count AS reopened, NULL AS handle_seconds
        FROM latest l LEFT JOIN first_active f USING (number) ORDER BY l.number`),
      await copyEntity(warehouse, out, 'crm.ticket_events', `
        SELECT number AS ticket_id, ${TS('sys_updated_at')} AS "at",
          CASE incident_state WHEN 'New' THEN 'new' WHEN 'Active' THEN 'open' WHEN 'Awaiting User Info' THEN 'pending_customer'
            WHEN 'Awaiting Problem' THEN 'pending_internal' WHEN 'Awaiting Vendor' THEN 'pending_internal' WHEN 'Awaiting Evidence' THEN 'pending_internal'
            WHEN 'Resolved' THEN 'solved' WHEN 'Closed' THEN 'closed' ELSE incident_state END AS status
        FROM sn ORDER BY number, CAST(sys_mod_count AS INT)`),
      await copyEntity(warehouse, out, 'crm.customers', `
        SELECT replace(lower(caller_id), ' ', '-') AS customer_id, strftime(min(strptime(opened_at, '%d-%m-%Y %H:%M')), '%Y-%m-%dT%H:%M:%SZ') AS created_at,
          'unknown' AS segment, 'unknown' AS region, 'unknown' AS gender, NULL AS birth_year, 'unknown' AS acquisition_channel, NULL AS email, NULL AS phone
        FROM sn WHERE caller_id <> '?' GROUP BY 1 ORDER BY 1`),
    ];
  },
};
