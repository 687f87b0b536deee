/**
 * A model is one file under transforms/<layer>/ that declares its name, what it depends on, its
 * grain and its output contract, and builds itself. Models are discovered, ordered by their
 * dependencies and tested after every build (see discover.ts, build.ts, data-tests.ts).
 */
import type { z } from 'zod';
import type { Config } from '../../config/schema.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { DataTest } from './data-tests.ts';

export interface BuildContext {
  warehouse: Warehouse;
  config: Config;
  /** salt for hashing personal data (see transforms/staging/pii.ts) */
  piiSalt: string;
}

export interface Model {
  /** `<schema>.<table>`, e.g. staging.tickets */
  name: string;
  description: string;
  /** e.g. "one row per ticket" */
  grain: string;
  /** the columns that identify a row (the grain); tested unique and not null */
  key: readonly string[];
  /** raw tables (`raw.*`) and other models this one reads */
  dependsOn: readonly string[];
  /** the columns the built table must have, with types, nullability and allowed values */
  contract: z.ZodObject;
  /** checks beyond the contract: keys, relationships, invariants */
  tests?: readonly DataTest[];
  /** a SELECT whose result becomes the table, or a function that builds the table itself */
  build: (context: BuildContext) => string | Promise<void>;
}

export function defineModel(model: Model): Model {
  if (!/^(staging|marts)\.[a-z][a-z0-9_]*$/.test(model.name)) {
    throw new Error(`model name "${model.name}" must be staging.<name> or marts.<name> in snake_case`);
  }
  return model;
}
