import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';
import { consistentAhpWeights } from '../stats/ahp.ts';
import { DEFAULT_AHP } from './_index.ts';

export const model = defineModel({
  name: 'marts.ahp_weights',
  description:
    'Weights of the composite CRM index by the Analytic Hierarchy Process (层次分析法): the principal eigenvector of each pairwise comparison matrix, with λmax, CI and CR. A matrix with CR ≥ 0.10 stops the build with an error naming it.',
  grain: 'one row per matrix and criterion',
  key: ['level', 'parent', 'criterion'],
  dependsOn: [],
  contract: z.object({
    level: z.enum(['criteria', 'kpi']),
    parent: z.string().describe("the pillar for KPI weights, 'index' for the pillars"),
    criterion: z.string(),
    weight: z.number().min(0).max(1),
    global_weight: z.number().min(0).max(1).describe('weight in the whole index (pillar weight × KPI weight)'),
    lambda_max: z.number(),
    ci: z.number(),
    cr: z.number().min(0).max(0.1),
  }),
  build: async ({ warehouse, config }) => {
    const ahp = config.ahp ?? DEFAULT_AHP;
    const rows: Array<Record<string, unknown>> = [];
    const criteria = consistentAhpWeights(ahp.criteria.matrix, 'criteria (pillars)');
    ahp.criteria.items.forEach((item, i) => {
      const w = criteria.weights[i]!;
      rows.push({ level: 'criteria', parent: 'index', criterion: item, weight: w, global_weight: w, lambda_max: criteria.lambdaMax, ci: criteria.ci, cr: criteria.cr });
      const kpis = ahp.kpis[item];
      if (!kpis) return;
      const inner = consistentAhpWeights(kpis.matrix, `${item} KPIs`);
      kpis.items.forEach((kpi, j) =>
        rows.push({ level: 'kpi', parent: item, criterion: kpi, weight: inner.weights[j], global_weight: w * inner.weights[j]!, lambda_max: inner.lambdaMax, ci: inner.ci, cr: inner.cr }),
      );
    });
    await writeTable(warehouse, 'marts.ahp_weights', [
      ['level', 'VARCHAR'], ['parent', 'VARCHAR'], ['criterion', 'VARCHAR'], ['weight', 'DOUBLE'], ['global_weight', 'DOUBLE'], ['lambda_max', 'DOUBLE'], ['ci', 'DOUBLE'], ['cr', 'DOUBLE'],
    ], rows);
  },
});
