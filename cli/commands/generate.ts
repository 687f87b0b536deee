import { loadConfig } from '../../config/load.ts';
import { generateCompany, parseScale, type EffectsScenario } from '../../sources/reference-company/generate.ts';

export interface GenerateFlags {
  out: string;
  scale: string;
  seed: number;
  format: 'csv' | 'parquet';
  clean?: boolean;
  /** planted (default) or none, the null scenario */
  effects?: EffectsScenario;
  config?: string;
}

export async function generateCommand(flags: GenerateFlags): Promise<void> {
  const { config } = loadConfig(flags.config);
  const customers = parseScale(flags.scale);
  const started = Date.now();
  console.log(`Generating the reference company: ${customers.toLocaleString('en-US')} customers, seed ${flags.seed}, ${flags.format}${flags.effects === 'none' ? ', no CRM effect (null scenario)' : ''} → ${flags.out}`);
  const manifest = await generateCompany({
    outDir: flags.out,
    customers,
    seed: flags.seed,
    format: flags.format,
    config,
    defects: !flags.clean,
    effects: flags.effects,
  });
  const rows = Object.entries(manifest.rows)
    .map(([entity, count]) => `${entity} ${Number(count).toLocaleString('en-US')}`)
    .join(', ');
  console.log(`Wrote ${rows} in ${((Date.now() - started) / 1000).toFixed(1)} s; manifest: ${flags.out}/manifest.json`);
}
