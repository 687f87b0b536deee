/**
 * One connector extract in a process of its own (so its peak memory is its own), for
 * `npm run bench:database` and `npm run bench:http`. Input: CRM_EVAL_BENCH = { warehouse,
 * entity, source } (`crm.tickets` and its source settings). Prints one JSON line: rows, fetch
 * and load seconds, peak RSS during the fetch (sampled once per page) and for the whole process.
 */
import { dirname, join } from 'node:path';
import { parseConfig } from '../../config/load.ts';
import { extractWithConnector } from '../../sources/connectors/extract.ts';
import { openConnector } from '../../sources/connectors/registry.ts';
import { configuredSources } from '../../sources/connectors/settings.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';

const input = JSON.parse(process.env.CRM_EVAL_BENCH ?? '{}') as { warehouse: string; entity: string; source: unknown };
const [configured] = configuredSources(parseConfig({ sources: { [input.entity]: input.source } }));
const warehouse = await Warehouse.open(input.warehouse);
const connector = openConnector(configured!);
let fetchPeak = 0;
let heapPeak = 0;
let fetchedAt = 0;
const started = Date.now();
try {
  const out = await extractWithConnector({
    connector,
    runId: 'bench',
    deliveriesRoot: join(dirname(input.warehouse), 'deliveries'),
    withWarehouse: (work) => work(warehouse),
    progress: () => {
      const memory = process.memoryUsage();
      fetchPeak = Math.max(fetchPeak, memory.rss);
      heapPeak = Math.max(heapPeak, memory.heapUsed);
      fetchedAt = Date.now();
    },
  });
  console.log(JSON.stringify({
    rows: out.load.rowsFetched,
    loaded: out.load.rowsLoaded,
    fetchSeconds: out.fetchSeconds,
    loadSeconds: (Date.now() - fetchedAt) / 1000,
    totalSeconds: (Date.now() - started) / 1000,
    fetchPeakMb: fetchPeak / 2 ** 20,
    fetchHeapPeakMb: heapPeak / 2 ** 20,
    processPeakMb: process.resourceUsage().maxRSS / 1024,
  }));
} finally {
  await connector.close();
  warehouse.close();
}
