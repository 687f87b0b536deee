/**
 * Per-customer inputs of the CLV models, from completed orders (one purchase per customer and
 * day, as in the BG/NBD literature): x = repeat purchase days, t_x = time of the last purchase
 * and T = age at the calibration end, both from the first purchase and in the configured unit,
 * the mean spend of repeat purchase days, and the historical gross margin.
 */
import type { Config } from '../../config/schema.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { literal } from '../../warehouse/warehouse.ts';

export interface ClvInput {
  customer_id: string;
  frequency: number;
  recency: number;
  T: number;
  mean_spend: number;
  historical_value: number;
  margin_rate: number | null;
}

const DAYS_PER_UNIT = { days: 1, weeks: 7, months: 365.25 / 12 } as const;

export async function calibrationEnd(warehouse: Warehouse, config: Config): Promise<string | null> {
  if (config.clv.calibration_end) return config.clv.calibration_end;
  const [row] = await warehouse.all<{ last: string | null }>(`SELECT strftime(max(ordered_at), '%Y-%m-%d') AS last FROM staging.orders WHERE status = 'completed'`);
  return row?.last ?? null;
}

export async function clvInputs(warehouse: Warehouse, config: Config, end: string): Promise<ClvInput[]> {
  const unit = DAYS_PER_UNIT[config.clv.time_unit];
  // Money stays DECIMAL until the end: sums of DECIMAL are exact, sums of DOUBLE depend on the
  // order DuckDB's threads add them in, and the fits downstream amplify the last bit.
  return warehouse.all<ClvInput>(`
    WITH
    -- one row per customer and purchase day
    days AS (
      SELECT
        customer_id,
        CAST(ordered_at AS DATE) AS day,
        sum(amount) AS amount,
        sum(gross_margin) AS margin
      FROM staging.orders
      WHERE status = 'completed'
        AND CAST(ordered_at AS DATE) <= DATE ${literal(end)}
      GROUP BY ALL
    ),
    -- each customer's first purchase day
    firsts AS (
      SELECT customer_id, min(day) AS first
      FROM days
      GROUP BY ALL
    )
    SELECT
      customer_id,
      (count(*) - 1)::INT AS frequency,
      date_diff('day', first, max(day)) / ${unit} AS recency,
      date_diff('day', first, DATE ${literal(end)}) / ${unit} AS "T",
      coalesce(sum(amount) FILTER (WHERE day > first) / count(*) FILTER (WHERE day > first), 0)::DOUBLE AS mean_spend,
      sum(margin)::DOUBLE AS historical_value,
      CASE WHEN sum(amount) > 0 THEN sum(margin) / sum(amount) END::DOUBLE AS margin_rate
    FROM days
    JOIN firsts USING (customer_id)
    GROUP BY customer_id, first
    ORDER BY customer_id`);
}

/** Horizon in the model's time unit. */
export function horizonUnits(config: Config): number {
  return (config.horizon_months * (365.25 / 12)) / DAYS_PER_UNIT[config.clv.time_unit];
}

export function unitsPerMonth(config: Config): number {
  return 365.25 / 12 / DAYS_PER_UNIT[config.clv.time_unit];
}
