import type { Warehouse } from '../../warehouse/warehouse.ts';

/** The staging tables the as-of day is read from: a model that calls dataAsOf depends on them. */
export const AS_OF_SOURCES = ['staging.orders', 'staging.tickets', 'staging.surveys'];

/**
 * The data's as-of day: its latest order, ticket or survey answer (YYYY-MM-DD, or null for no
 * data). A month the data ends in before the month's last day is partial: a few days of answers
 * can score anything, so headline trends and benchmark comparisons leave it out.
 */
export async function dataAsOf(warehouse: Warehouse): Promise<string | null> {
  const { as_of } = await warehouse.one<{ as_of: string | null }>(`
    SELECT strftime(max(latest), '%Y-%m-%d') AS as_of
    FROM (
      SELECT max(ordered_at) AS latest FROM staging.orders
      UNION ALL SELECT max(created_at) FROM staging.tickets
      UNION ALL SELECT max(responded_at) FROM staging.surveys
    )`);
  return as_of;
}
