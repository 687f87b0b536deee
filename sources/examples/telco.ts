/**
 * IBM Telco customer churn (IBM sample data): one row per customer of a telecom operator at a
 * snapshot, with tenure in months, contract, monthly and total charges and whether the customer
 * left within the last month. It feeds customers and their monthly bills, so the loyalty marts
 * (active customers, churn, AOV, cohorts, CLV); there are no tickets or surveys.
 *
 * Mapping (the data set carries no dates, so everything hangs on one documented anchor):
 * - SNAPSHOT is the first day of the month the snapshot was taken (IBM publishes none; with
 *   your own export, put its date here).
 * - A customer who stayed (Churn = No) was billed every month of its tenure up to and including
 *   the snapshot month; one who left (Churn = Yes) "within the last month" was billed for its
 *   tenure up to the month before and not in the snapshot month. created_at is the first bill.
 * - Each bill is a completed order of MonthlyCharges (the data holds only the current monthly
 *   charge, so earlier bills are taken at today's price; TotalCharges ÷ tenure differs a little).
 *   Tenure 0 means no bill yet: those are the 11 customers with a blank TotalCharges, kept as
 *   customers without orders.
 * - segment = Contract (month_to_month / one_year / two_year); gender Female/Male → f/m; region,
 *   birth year (only SeniorCitizen is known), acquisition channel unknown; the sales channel of a
 *   bill is recorded as online (the data has none: do not cut by it); margin from the configured
 *   margin rate. The other columns (services, payment method, charges, churn) travel to
 *   raw.crm_customers.extra_columns as delivered.
 */
import { join } from 'node:path';
import { literal } from '../../warehouse/warehouse.ts';
import { copyEntity, type Example } from './example.ts';
import { literalFilePattern } from '../load/files.ts';

export const SNAPSHOT = '2020-01-01';
const TS = (expr: string) => `strftime(${expr}, '%Y-%m-%dT%H:%M:%SZ')`;

export const telco: Example = {
  name: 'telco',
  description: 'IBM Telco customer churn: 7,043 customers at a snapshot, billed monthly (customers + bills → loyalty, churn, CLV)',
  dataset: 'telco',
  config: {
    // No CRM in this data: the go-live only places the case study's windows.
    crm_go_live: '2018-07-01',
    ramp_up_months: 0,
    control_group: null,
    case_study: { pre_months: 12, post_months: 12 },
    // Billed monthly: a customer who misses a bill has left.
    churn_inactivity_days: 31,
  },
  async map(warehouse, datasetDir, out) {
    await warehouse.run(`
      CREATE OR REPLACE TEMP TABLE telco AS
      SELECT *, CASE WHEN Churn = 'Yes' THEN tenure ELSE tenure - 1 END AS months_back_first,
        CASE WHEN Churn = 'Yes' THEN 1 ELSE 0 END AS months_back_last
      FROM read_csv(${literal(literalFilePattern(join(datasetDir, 'WA_Fn-UseC_-Telco-Customer-Churn.csv')))}, header = true, all_varchar = false)`);
    const first = `DATE ${literal(SNAPSHOT)} - to_months(CAST(greatest(months_back_first, 0) AS INT))`;
    return [
      await copyEntity(warehouse, out, 'crm.customers', `
        SELECT customerID AS customer_id, ${TS(first)} AS created_at,
          CASE Contract WHEN 'Month-to-month' THEN 'month_to_month' WHEN 'One year' THEN 'one_year' WHEN 'Two year' THEN 'two_year' END AS segment,
          'unknown' AS region, CASE gender WHEN 'Female' THEN 'f' WHEN 'Male' THEN 'm' ELSE 'unknown' END AS gender,
          NULL AS birth_year, 'unknown' AS acquisition_channel, NULL AS email, NULL AS phone,
          SeniorCitizen AS senior_citizen, Partner AS partner, Dependents AS dependents, tenure, PhoneService AS phone_service,
          InternetService AS internet_service, PaymentMethod AS payment_method, PaperlessBilling AS paperless_billing,
          MonthlyCharges AS monthly_charges, TotalCharges AS total_charges, Churn AS churn
        FROM telco ORDER BY customerID`),
      await copyEntity(warehouse, out, 'crm.orders', `
        SELECT customerID || '-' || lpad(CAST(k AS VARCHAR), 3, '0') AS order_id, customerID AS customer_id,
          ${TS(`DATE ${literal(SNAPSHOT)} - to_months(CAST(months_back_first - k AS INT))`)} AS ordered_at,
          MonthlyCharges AS amount, NULL AS gross_margin, 'online' AS channel, 'completed' AS status
        FROM telco, range(0, tenure) AS r(k)
        ORDER BY customerID, k`),
    ];
  },
};
