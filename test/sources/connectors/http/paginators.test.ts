/**
 * The other paginators, declared by hand as a user would for an API without a preset: a Link
 * header, an offset, a page number (the emulator's flat /generic routes) and HubSpot's list
 * endpoint with `after`. Each reads every order (or contact) once.
 */
import { expect, it } from 'vitest';
import { rawChecksum } from '../../../fixtures/reference-files.ts';
import { columnsOf, emulatorFixture, extract, fileChecksum, freshWarehouse, TOKEN } from './api.ts';

const fixture = emulatorFixture();

/** An API without a preset: every setting written out. */
const ordersFrom = (params: Record<string, string | number>, paginator: Record<string, unknown>) => ({
  'crm.orders': {
    kind: 'http',
    base_url: `${fixture.api.url}/generic`,
    auth: { type: 'bearer', token_env: 'CRM_API_TOKEN' },
    request: { path: '/crm/orders', params },
    records: 'data',
    paginator,
    max_requests_per_second: 1000,
  },
});

const cases: Array<[string, () => Record<string, unknown>]> = [
  ['a Link header', () => ordersFrom({ paging: 'link', limit: 250 }, { type: 'link' })],
  ['an offset', () => ordersFrom({ paging: 'offset' }, { type: 'offset', limit: 250 })],
  ['a page number', () => ordersFrom({ paging: 'page', per_page: 250 }, { type: 'page', size_param: 'per_page', size: 250 })],
  ['a page number, ending on an empty page', () => ordersFrom({ paging: 'page', per_page: 250 }, { type: 'page' })],
];

for (const [name, sources] of cases) {
  it(`orders paged by ${name}`, async () => {
    const warehouse = await freshWarehouse();
    try {
      const progress: string[] = [];
      const out = await extract(warehouse, sources(), 'crm.orders', 'paged', progress);
      const expected = await fileChecksum(fixture.dataDir, 'crm.orders');
      expect(await rawChecksum(warehouse, 'crm_orders', columnsOf('crm.orders'))).toEqual(expected);
      expect(out.rowsFetched).toBe(expected.rows);
      expect(progress.filter((m) => / page \d+, /.test(m)).length).toBe(Math.ceil(expected.rows / 250));
    } finally {
      warehouse.close();
    }
  });
}

it('contacts through HubSpot’s list endpoint, paged by `after`', async () => {
  const warehouse = await freshWarehouse();
  try {
    const sources = {
      'crm.customers': {
        kind: 'http',
        preset: 'hubspot-crm',
        base_url: fixture.api.url,
        auth: { type: 'bearer', token_env: 'CRM_API_TOKEN' },
        request: { path: '/crm/v3/objects/contacts', params: { limit: 100, properties: 'customer_id,createdate,segment,region,gender,birth_year,acquisition_channel,email,phone' } },
        paginator: { type: 'after', after_path: 'paging.next.after' },
        incremental: { cursor_field: 'properties.hs_lastmodifieddate' },
        max_requests_per_second: 1000,
      },
    };
    const out = await extract(warehouse, sources, 'crm.customers', 'list');
    const expected = await fileChecksum(fixture.dataDir, 'crm.customers');
    expect(await rawChecksum(warehouse, 'crm_customers', columnsOf('crm.customers'))).toEqual(expected);
    expect(out.rowsFetched).toBe(500);
  } finally {
    warehouse.close();
  }
});
