import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';
import { KPI_VALUE_UNITS, KPIS } from './_kpis.ts';

/**
 * The KPI catalogue as a table, from the one place KPIs are defined (_kpis.ts), so a report
 * labels every number with its definition, unit and which direction is better without
 * repeating them.
 */
export const model = defineModel({
  name: 'marts.kpi_definitions',
  description: 'Every unit-level KPI of the case study and the monthly marts: its label, definition, how a change is read (relative or in points), the unit of its values and whether higher or lower is better.',
  grain: 'one row per KPI',
  key: ['kpi'],
  dependsOn: [],
  contract: z.object({
    kpi: z.string(),
    label: z.string(),
    definition: z.string(),
    unit: z.enum(['relative', 'points']),
    value_unit: z.enum(KPI_VALUE_UNITS).describe('what a value is: share (fraction 0..1), points (NPS), score (mean on the survey scale), hours, minutes, per_1000 (per 1,000 active customers)'),
    direction: z.enum(['higher_is_better', 'lower_is_better']),
  }),
  build: async ({ warehouse }) => {
    const rows = KPIS.map(({ kpi, label, definition, unit, value_unit, direction }) => ({ kpi, label, definition, unit, value_unit, direction }));
    const columns = ['kpi', 'label', 'definition', 'unit', 'value_unit', 'direction'].map((c) => [c, 'VARCHAR'] as const);
    await writeTable(warehouse, 'marts.kpi_definitions', columns, rows);
  },
});
