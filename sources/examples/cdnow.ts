/**
 * CDNOW (Fader, Hardie & Lee): 2,357 customers' purchases 1997-01 to 1998-06, as shipped with
 * the `lifetimes` library. Whitespace-separated: customer id, sample id, date yyyymmdd, number
 * of CDs, dollar value. It feeds orders (and the customers derived from them) and so the
 * loyalty and CLV marts; nothing about service, so those marts stay empty.
 *
 * Mapping: one order per row (order_id = customer-line), ordered_at = the day at 00:00 UTC,
 * amount = dollar value, gross margin unknown (the configured rate applies), channel online,
 * status completed. Customers: created at their first purchase; segment, region, gender and
 * acquisition channel 'unknown' (the data set does not say).
 */
import { join } from 'node:path';
import { literal } from '../../warehouse/warehouse.ts';
import { copyEntity, type Example } from './example.ts';
import { literalFilePattern } from '../load/files.ts';

export const cdnow: Example = {
  name: 'cdnow',
  description: 'CDNOW sample: 2,357 customers, 6,919 purchases (orders → loyalty and CLV)',
  dataset: 'cdnow',
  // The published BG/NBD and Gamma-Gamma fits use weeks and a calibration ending 1997-09-30.
  config: {
    crm_go_live: '1997-10-01',
    control_group: null,
    clv: { time_unit: 'weeks', calibration_end: '1997-09-30', fit_sample: 100000 },
  },
  async map(warehouse, datasetDir, out) {
    const file = literal(literalFilePattern(join(datasetDir, 'CDNOW_sample.txt')));
    await warehouse.run(`CREATE OR REPLACE TEMP TABLE cdnow AS
      SELECT f[1] AS customer, row_number() OVER () AS line, strptime(f[3], '%Y%m%d')::DATE AS day, CAST(f[5] AS DECIMAL(18,2)) AS amount
      FROM (SELECT string_split(trim(regexp_replace(line, '\\s+', ' ', 'g')), ' ') AS f
            FROM read_csv(${file}, columns = {'line': 'VARCHAR'}, header = false, delim = '\\t', auto_detect = false))`);
    return [
      await copyEntity(warehouse, out, 'crm.orders', `
        SELECT 'C' || customer || '-' || line AS order_id, 'C' || customer AS customer_id, strftime(day, '%Y-%m-%dT00:00:00Z') AS ordered_at,
               amount, NULL AS gross_margin, 'online' AS channel, 'completed' AS status FROM cdnow ORDER BY line`),
      await copyEntity(warehouse, out, 'crm.customers', `
        SELECT 'C' || customer AS customer_id, strftime(min(day), '%Y-%m-%dT00:00:00Z') AS created_at, 'unknown' AS segment, 'unknown' AS region,
               'unknown' AS gender, NULL AS birth_year, 'unknown' AS acquisition_channel, NULL AS email, NULL AS phone
        FROM cdnow GROUP BY customer ORDER BY customer`),
    ];
  },
};
