/**
 * `crm-eval run --example crm-api`: the reference company extracted the way a company's
 * nightly load would reach it. Tickets and satisfaction ratings come from a Zendesk-shaped
 * API and customers and orders from a HubSpot-shaped API, both served by the emulator on
 * loopback. The ledger, employees and timesheets come from PostgreSQL (a database of its own
 * on the machine's server). Everything else comes from files. When PostgreSQL does not answer,
 * finance and HR are read from the files instead, and the run says so.
 */
import { randomBytes } from 'node:crypto';
import { entities } from '../../catalog.ts';
import { generateCompany } from '../../reference-company/generate.ts';
import type { Example, ExampleServices } from '../example.ts';
import { startEmulator } from './emulator.ts';
import { localPostgres, seedErpDatabase } from './erp-database.ts';

const CUSTOMERS = 2000;
const TOKEN_ENV = 'CRM_EVAL_EXAMPLE_API_TOKEN';
const DATABASE = 'crm_eval_example_erp';

export const crmApi: Example = {
  name: 'crm-api',
  description: `the reference company (${CUSTOMERS} customers) through a Zendesk- and HubSpot-shaped API emulator and PostgreSQL`,
  dataset: '.',
  config: {},
  async map(_warehouse, _datasetDir, out) {
    // Without the planted defects: an API holds one record per id, so duplicate keys cannot be served.
    await generateCompany({ outDir: out, customers: CUSTOMERS, seed: 42, defects: false });
    return entities.map((e) => `${e.source}.${e.entity}`);
  },
  async serve(dataDir): Promise<ExampleServices> {
    // A fresh token each run: the emulator refuses requests without it.
    const token = randomBytes(16).toString('hex');
    const api = await startEmulator({ dataDir, token });
    // The emulator has no rate limit of its own; 50 requests a second keeps the example quick
    // (a real HubSpot search allows about 5).
    const http = (preset: string) => ({ kind: 'http', preset, base_url: api.url, auth: { type: 'bearer', token_env: TOKEN_ENV }, max_requests_per_second: 50 });
    const sources: Record<string, unknown> = {
      'crm.tickets': http('zendesk-support'),
      'crm.surveys': http('zendesk-support'),
      'crm.customers': http('hubspot-crm'),
      'crm.orders': http('hubspot-crm'),
    };
    const lines = [`API emulator (Zendesk and HubSpot shapes) at ${api.url}: crm.tickets, crm.surveys, crm.customers, crm.orders`];
    const server = localPostgres(DATABASE);
    try {
      const seeded = await seedErpDatabase(server, dataDir);
      const database = { kind: 'database', dialect: 'postgres', preset: 'reference-erp', host: server.host, port: server.port, database: server.database, user: server.user };
      for (const entity of ['finance.gl_entries', 'hr.employees', 'hr.timesheets']) sources[entity] = database;
      const counts = Object.entries(seeded).map(([table, n]) => `${table} ${n.toLocaleString('en-US')}`).join(', ');
      lines.push(`PostgreSQL ${server.user}@${server.host}:${server.port}/${server.database} (${counts}): finance.gl_entries, hr.employees, hr.timesheets`);
    } catch (error) {
      const why = (error as Error).message.split('\n')[0];
      lines.push(`PostgreSQL at ${server.host}:${server.port} did not answer (${why}): finance and HR are read from the files instead`);
    }
    return { sources, env: { [TOKEN_ENV]: token }, lines, stop: () => api.close() };
  },
};
