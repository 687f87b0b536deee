/** Finds the model files and puts them in an order where every model comes after what it reads. */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Model } from './model.ts';

export const TRANSFORMS_DIR = fileURLToPath(new URL('..', import.meta.url));
export const LAYERS = ['staging', 'marts'] as const;

/**
 * Imports every `transforms/<layer>/*.ts` file that exports `model`, for the given layers
 * (default all). Building staging need not load the marts and the statistics they import.
 */
export async function discoverModels(root = TRANSFORMS_DIR, layers: readonly (typeof LAYERS)[number][] = LAYERS): Promise<Model[]> {
  const models: Model[] = [];
  for (const layer of layers) {
    let files: string[];
    try {
      files = readdirSync(join(root, layer)).filter((f) => f.endsWith('.ts')).sort();
    } catch {
      continue; // a layer with no folder yet has no models
    }
    for (const file of files) {
      const path = join(root, layer, file);
      const module = (await import(pathToFileURL(path).href)) as { model?: Model };
      if (module.model) models.push(module.model);
      else if (!file.startsWith('_')) {
        throw new Error(`${relative(process.cwd(), path)} exports no \`model\` (helpers belong in files starting with _)`);
      }
    }
  }
  return models;
}

/**
 * Orders models so each comes after its dependencies (ties broken by name, so the order is
 * stable). `raw.*` dependencies are inputs, not models. A dependency that nothing builds, or a
 * cycle, is an error that names the models involved.
 */
export function orderModels(models: readonly Model[]): Model[] {
  const byName = new Map<string, Model>();
  for (const model of models) {
    if (byName.has(model.name)) throw new Error(`two models are named ${model.name}`);
    byName.set(model.name, model);
  }
  for (const model of models) {
    for (const dependency of model.dependsOn) {
      if (!dependency.startsWith('raw.') && !byName.has(dependency)) {
        throw new Error(`model ${model.name} depends on ${dependency}, which no model builds`);
      }
    }
  }

  const ordered: Model[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (model: Model, path: string[]) => {
    const seen = state.get(model.name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(model.name)), model.name];
      throw new Error(`model dependency cycle: ${cycle.join(' → ')}`);
    }
    state.set(model.name, 'visiting');
    for (const dependency of [...model.dependsOn].sort()) {
      const upstream = byName.get(dependency);
      if (upstream) visit(upstream, [...path, model.name]);
    }
    state.set(model.name, 'done');
    ordered.push(model);
  };
  for (const model of [...models].sort((a, b) => a.name.localeCompare(b.name))) visit(model, []);
  return ordered;
}
