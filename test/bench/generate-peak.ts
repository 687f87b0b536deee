/**
 * One reference-company generation for the benchmark, in its own process so that its peak
 * memory is its own. Prints one JSON line: seconds, orders written, peak RSS.
 */
import { parseConfig } from '../../config/load.ts';
import { generateCompany } from '../../sources/reference-company/generate.ts';

const [outDir, customers, seed] = process.argv.slice(2);
if (!outDir || !customers) throw new Error('usage: generate-peak.ts OUT_DIR CUSTOMERS [SEED]');

const started = Date.now();
const manifest = await generateCompany({ outDir, customers: Number(customers), seed: Number(seed ?? 7), config: parseConfig({}) });
console.log(JSON.stringify({ seconds: (Date.now() - started) / 1000, orders: manifest.rows['crm.orders'], peakMb: process.resourceUsage().maxRSS / 1024 }));
