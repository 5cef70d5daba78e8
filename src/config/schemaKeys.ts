/**
 * What keys the schema allows at a place in a document, read from the zod schema itself so a
 * "did you mean" never drifts from what is actually accepted.
 *
 * Walks zod 4's schema definitions (`_zod.def`). Wrappers (optional, default, prefault, …) are
 * looked through; a discriminated union is resolved with the document's own discriminator
 * value (`type: parquet` → the Parquet keys), and when that does not decide, the keys of all
 * its object options are offered.
 */
import type { z } from 'zod';
import type { KeyPath } from './problems';

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  discriminator?: string;
  valueType?: z.ZodType;
  element?: z.ZodType;
  values?: unknown[];
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The schema with optional/default/nullable/pipe/lazy wrappers removed. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(current);
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined) ?? (def.type === 'lazy' ? def.getter?.() : undefined);
    if (!next) return current;
    current = next;
  }
  return current;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The options of a union that `value` can be, best match first (by discriminator). */
function unionCandidates(def: Def, value: unknown): z.ZodType[] {
  const options = def.options ?? [];
  if (def.discriminator && isPlainObject(value)) {
    const tag = value[def.discriminator];
    const matching = options.filter((o) => {
      const shape = defOf(unwrap(o)).shape;
      const literal = shape?.[def.discriminator as string];
      return literal !== undefined && (defOf(unwrap(literal)).values ?? []).includes(tag);
    });
    if (matching.length > 0) return matching;
  }
  // A value that is an object can only be one of the object options.
  return isPlainObject(value) ? options.filter((o) => defOf(unwrap(o)).type === 'object' || defOf(unwrap(o)).type === 'union') : options;
}

/** The schemas that may describe the value at `path` of `doc` (`doc` is the value `schema` describes). */
function schemasAt(schema: z.ZodType, doc: unknown, path: KeyPath): z.ZodType[] {
  const s = unwrap(schema);
  const def = defOf(s);
  if (def.type === 'union') {
    return unionCandidates(def, doc).flatMap((o) => schemasAt(o, doc, path));
  }
  if (path.length === 0) return [s];
  const [head, ...rest] = path;
  const child = isPlainObject(doc) ? doc[String(head)] : Array.isArray(doc) && typeof head === 'number' ? doc[head] : undefined;
  if (def.type === 'object' && def.shape && typeof head === 'string' && def.shape[head]) return schemasAt(def.shape[head], child, rest);
  if (def.type === 'record' && def.valueType) return schemasAt(def.valueType, child, rest);
  if (def.type === 'array' && def.element) return schemasAt(def.element, child, rest);
  return [];
}

/** Every key an object at `path` of `doc` may have, per `schema`; empty when not an object there. */
export function knownKeysAt(schema: z.ZodType, doc: unknown, path: KeyPath): string[] {
  const keys = new Set<string>();
  for (const s of schemasAt(schema, doc, path)) {
    const shape = defOf(s).shape;
    if (shape) for (const k of Object.keys(shape)) keys.add(k);
  }
  return [...keys];
}
