import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';
import { fitBgNbd, fitGammaGamma } from '../stats/clv.ts';
import { calibrationEnd, clvInputs } from './_clv-inputs.ts';

export const model = defineModel({
  name: 'marts.clv_model',
  description:
    'Fitted parameters of the CLV models: BG/NBD (r, alpha, a, b; Fader, Hardie & Lee 2005) on repeat purchase days, and Gamma-Gamma (p, q, gamma; Fader & Hardie 2013) on the mean spend of customers with repeat purchases, by maximum likelihood. Fitted on a deterministic sample of at most clv.fit_sample customers.',
  grain: 'one row per model and parameter',
  key: ['model', 'parameter'],
  dependsOn: ['staging.orders'],
  contract: z.object({
    model: z.enum(['bg_nbd', 'gamma_gamma']),
    parameter: z.string(),
    value: z.number().positive(),
    time_unit: z.enum(['days', 'weeks', 'months']),
    calibration_end: z.iso.date(),
    n_customers: z.int().min(0).describe('customers the model was fitted on'),
    log_likelihood: z.number(),
  }),
  build: async ({ warehouse, config }) => {
    const end = await calibrationEnd(warehouse, config);
    const inputs = end ? await clvInputs(warehouse, config, end) : [];
    // every k-th customer in id order: deterministic, spread over the whole base
    const step = Math.max(1, Math.ceil(inputs.length / config.clv.fit_sample));
    const sample = inputs.filter((_, i) => i % step === 0);
    const rows: Array<Record<string, unknown>> = [];
    if (sample.length >= 10) {
      const bg = fitBgNbd(sample);
      const repeaters = sample.filter((c) => c.frequency > 0 && c.mean_spend > 0);
      for (const [parameter, value] of Object.entries(bg.params)) {
        rows.push({ model: 'bg_nbd', parameter, value, time_unit: config.clv.time_unit, calibration_end: end, n_customers: sample.length, log_likelihood: bg.logLikelihood });
      }
      if (repeaters.length >= 10) {
        const gg = fitGammaGamma(repeaters.map((c) => ({ frequency: c.frequency, meanSpend: c.mean_spend })));
        for (const [parameter, value] of Object.entries(gg.params)) {
          rows.push({ model: 'gamma_gamma', parameter, value, time_unit: config.clv.time_unit, calibration_end: end, n_customers: repeaters.length, log_likelihood: gg.logLikelihood });
        }
      }
    }
    await writeTable(warehouse, 'marts.clv_model', [
      ['model', 'VARCHAR'], ['parameter', 'VARCHAR'], ['value', 'DOUBLE'], ['time_unit', 'VARCHAR'], ['calibration_end', 'DATE'],
      ['n_customers', 'BIGINT'], ['log_likelihood', 'DOUBLE'],
    ], rows);
  },
});
