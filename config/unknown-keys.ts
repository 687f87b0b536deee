/**
 * Lines for settings the schema does not know: every object in the configuration is strict, so a
 * typo (`crm_golive:`) fails the run with a suggestion instead of leaving the default in force.
 */
import type { z } from 'zod';
import { closest } from './did-you-mean.ts';

type Def = {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  element?: z.core.$ZodType;
  options?: readonly z.core.$ZodType[];
};

const def = (schema: z.core.$ZodType) => schema._zod.def as unknown as Def;

/** The objects `schema` may hold at `path` (several under a union), defaults and optionals unwrapped. */
function objectsAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): Def[] {
  const d = def(schema);
  if (d.innerType) return objectsAt(d.innerType, path); // default, optional, nullable, readonly, catch
  if (d.type === 'pipe' && d.in) return objectsAt(d.in, path);
  if (d.options) return d.options.flatMap((option) => objectsAt(option, path));
  if (path.length === 0) return d.type === 'object' ? [d] : [];
  const [head, ...rest] = path;
  if (d.type === 'object') {
    const field = d.shape?.[String(head)];
    return field ? objectsAt(field, rest) : [];
  }
  if (d.type === 'record' && d.valueType) return objectsAt(d.valueType, rest);
  if (d.type === 'array' && d.element) return objectsAt(d.element, rest);
  return [];
}

/** The settings `schema` accepts in the object at `path`. */
export function knownKeys(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  return [...new Set(objectsAt(schema, path).flatMap((object) => Object.keys(object.shape ?? {})))];
}

/**
 * `crm_golive: not a setting; did you mean crm_go_live?`, one message per unknown key; without a
 * close match it lists the settings allowed there.
 */
export function unknownKeyMessage(schema: z.core.$ZodType, path: readonly PropertyKey[], key: string): string {
  const known = knownKeys(schema, path);
  const suggestion = closest(key, known);
  if (suggestion) return `not a setting; did you mean ${suggestion}?`;
  return known.length > 0 ? `not a setting; the settings here are: ${known.join(', ')}` : 'not a setting';
}
