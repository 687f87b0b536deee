/**
 * `npm run bench:http`: tickets from the API emulator (Zendesk's incremental export, 1,000 per
 * page) through the HTTP connector into a fresh warehouse, at about 100k and 1M tickets. The
 * emulator runs here, the extract in a process of its own, so the memory printed is the
 * connector's. Prints rows/s and peak memory per size; asserts nothing. Memory should stay flat
 * while fetching, whatever the size: one page is in memory at a time.
 *
 *   npm run bench:http                        # 100k and 1M tickets
 *   npm run bench:http -- --rows 100k         # one size
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { startEmulator } from '../../sources/examples/crm-api/emulator.ts';
import { generateCompany, parseScale } from '../../sources/reference-company/generate.ts';
import { tempDir } from '../fixtures/csv.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100k,1M' } } });
const TOKEN = 'bench-token';

// One company, its tickets served as many times over (under new ids) as a size needs.
const company = tempDir('crm-eval-bench-http-company-');
await generateCompany({ outDir: company, customers: 5000, seed: 42, defects: false });

const table = new Table({
  head: ['tickets', 'pages', 'fetch s', 'fetch rows/s', 'load s', 'total rows/s', 'peak MB while fetching (RSS / JS heap)', 'peak MB (process, incl. the DuckDB load)'],
  colAligns: ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  style: { head: [], border: [] },
});
for (const size of values.rows.split(',')) {
  const wanted = parseScale(size);
  const probe = await startEmulator({ dataDir: company });
  const perCopy = probe.collection('tickets').length;
  await probe.close();
  const api = await startEmulator({ dataDir: company, token: TOKEN, ticketCopies: Math.round(wanted / perCopy) });
  const tickets = api.collection('tickets').length;
  const dir = tempDir('crm-eval-bench-http-');
  const source = { kind: 'http', preset: 'zendesk-support', base_url: api.url, auth: { type: 'bearer', token_env: 'CRM_EVAL_BENCH_TOKEN' }, max_requests_per_second: 1000 };
  console.error(`extracting ${tickets.toLocaleString('en-US')} tickets from the emulator ...`);
  try {
    // The extract runs in a child while the emulator answers here: execFileSync would block it.
    const out = await new Promise<string>((resolve, reject) => {
      const child = execFile(process.execPath, ['bin/run-ts.js', 'test/bench/connector-extract.ts'], {
        env: { ...process.env, TSX_DISABLE_CACHE: '1', CRM_EVAL_BENCH_TOKEN: TOKEN, CRM_EVAL_BENCH: JSON.stringify({ warehouse: join(dir, 'warehouse.duckdb'), entity: 'crm.tickets', source }) },
        encoding: 'utf8',
        maxBuffer: 16 * 2 ** 20,
      }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
      child.stdin?.end();
    });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { rows: number; loaded: number; fetchSeconds: number; loadSeconds: number; totalSeconds: number; fetchPeakMb: number; fetchHeapPeakMb: number; processPeakMb: number };
    if (r.rows !== tickets || r.loaded !== tickets) console.error(`warning: ${tickets} tickets served, ${r.rows} fetched, ${r.loaded} loaded`);
    const f = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
    table.push([tickets.toLocaleString('en-US'), Math.ceil(tickets / 1000).toLocaleString('en-US'), f(r.fetchSeconds), f(tickets / r.fetchSeconds, 0), f(r.loadSeconds), f(tickets / r.totalSeconds, 0), `${f(r.fetchPeakMb, 0)} / ${f(r.fetchHeapPeakMb, 0)}`, f(r.processPeakMb, 0)]);
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
rmSync(company, { recursive: true, force: true });
console.log(table.toString());
