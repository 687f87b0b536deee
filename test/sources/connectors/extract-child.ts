/**
 * One extract step in a process of its own, for the crash test: the step a run or a Temporal
 * worker runs, printing its progress (one line per page). Input from the environment:
 * CRM_EVAL_CHILD = { warehouse, runId, source, entity, sources } (the configuration's sources).
 */
import { parseConfig } from '../../../config/load.ts';
import { createActivities } from '../../../workflows/activities.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';

const input = JSON.parse(process.env.CRM_EVAL_CHILD ?? '{}') as { warehouse: string; runId: string; source: string; entity: string; sources: unknown };
const warehouse = await Warehouse.open(input.warehouse);
try {
  const activities = createActivities({
    config: parseConfig({ sources: input.sources }),
    withWarehouse: (work) => work(warehouse),
    progress: (message) => console.log(message),
  });
  const out = await activities.extractEntity({ runId: input.runId, dataDir: '/nonexistent', source: input.source, entity: input.entity });
  console.log(`DONE ${JSON.stringify(out)}`);
} finally {
  warehouse.close();
}
