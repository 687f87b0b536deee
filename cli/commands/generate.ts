import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig, parseConfig } from '../../config/load.ts';
import { generateCompany, parseScale, type EffectsScenario } from '../../sources/reference-company/generate.ts';
import { REFERENCE_ROLLOUT, REFERENCE_SCALES } from '../../sources/reference-company/rollout.ts';

export interface GenerateFlags {
  out: string;
  scale: string;
  seed: number;
  format: 'csv' | 'parquet';
  clean?: boolean;
  /** planted (default) or none, the null scenario */
  effects?: EffectsScenario;
  config?: string;
  rollout?: 'waves';
}

export async function generateCommand(flags: GenerateFlags): Promise<void> {
  const loaded = loadConfig(flags.config).config;
  // a staggered company is analysed with its waves: the configuration is written beside the data
  const config = flags.rollout === 'waves' ? parseConfig({ ...loaded, rollout: REFERENCE_ROLLOUT }) : loaded;
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
    waveScales: flags.rollout === 'waves' ? REFERENCE_SCALES : undefined,
  });
  if (flags.rollout === 'waves') {
    const file = join(flags.out, 'crm-eval.config.yaml');
    writeFileSync(file, stringify({ rollout: REFERENCE_ROLLOUT, control_group: null }));
    console.log(`Rollout waves ${REFERENCE_ROLLOUT.map((w) => `${w.name} ${w.go_live}`).join(', ')}; analyse with --config ${file}`);
  }
  const rows = Object.entries(manifest.rows)
    .map(([entity, count]) => `${entity} ${Number(count).toLocaleString('en-US')}`)
    .join(', ');
  console.log(`Wrote ${rows} in ${((Date.now() - started) / 1000).toFixed(1)} s; manifest: ${flags.out}/manifest.json`);
}
