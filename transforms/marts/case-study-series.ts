import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';
import { KPIS } from './_kpis.ts';
import { seriesBreak, treatedSeries, windows } from './_case-study.ts';

export const model = defineModel({
  name: 'marts.case_study_series',
  description:
    'The interrupted time series behind the case study: the monthly value of each KPI for the treated group and the segmented regression fitted to it (ramp-up months are left out of the fit, the break is where the ramp-up ends; for a trailing-window KPI where the first window lies wholly after it, with standard errors that allow for the overlap of consecutive windows).',
  grain: 'one row per KPI and month',
  key: ['kpi', 'month'],
  dependsOn: ['marts.kpi_observations'],
  contract: z.object({
    kpi: z.string(),
    month: z.iso.date(),
    value: z.number().describe('monthly mean of the KPI observations of treated customers'),
    fitted: z.number().nullable().describe('segmented regression: trend, level change and slope change'),
    level_change: z.number().nullable().describe('β2: jump at the break, in KPI units (same on every row of the KPI)'),
    slope_change: z.number().nullable().describe('β3: change of the monthly trend after the break'),
    in_ramp_up: z.boolean().describe('between go-live and the end of the ramp-up (for a trailing-window KPI, until its whole window lies after it); not used in the fit'),
  }),
  build: async ({ warehouse, config }) => {
    const w = windows(config);
    const rows = (await treatedSeries(warehouse, w, KPIS.map((k) => k.kpi))).flatMap((s) =>
      s.months.map((month, i) => ({
        kpi: s.kpi,
        month,
        value: s.values[i],
        fitted: s.fit?.fitted[i] ?? null,
        level_change: s.fit?.levelChange ?? null,
        slope_change: s.fit?.slopeChange ?? null,
        in_ramp_up: month >= w.goLive && month < seriesBreak(w, s.kpi),
      })),
    );
    await writeTable(warehouse, 'marts.case_study_series', [
      ['kpi', 'VARCHAR'], ['month', 'DATE'], ['value', 'DOUBLE'], ['fitted', 'DOUBLE'],
      ['level_change', 'DOUBLE'], ['slope_change', 'DOUBLE'], ['in_ramp_up', 'BOOLEAN'],
    ], rows);
  },
});
