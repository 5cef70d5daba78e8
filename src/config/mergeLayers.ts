/**
 * Deep merge of configuration layers (flow ← defaults ← inline entity ← entity file) that
 * remembers which file wrote each key, so a problem found in the merged result is reported
 * where the user has to fix it. Plain objects merge key by key; arrays and scalars replace.
 */
import type { KeyPath } from './problems';
import type { Locate } from './zodIssues';

export interface Layer {
  file: string;
  /** where this layer's object sits inside its file, e.g. `['defaults', 'store']` */
  keyPath: KeyPath;
  value: Record<string, unknown> | undefined;
}

interface Origin {
  file: string;
  keyPath: KeyPath;
}

export interface Merged {
  value: Record<string, unknown>;
  /** file and in-file path for a path of the merged value */
  locate: Locate;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const keyOf = (path: KeyPath) => JSON.stringify(path);

export function mergeLayers(layers: readonly Layer[]): Merged {
  const value: Record<string, unknown> = {};
  const origins = new Map<string, Origin>();

  const forget = (prefix: KeyPath) => {
    const start = keyOf(prefix).slice(0, -1);
    for (const k of [...origins.keys()]) if (k.startsWith(start)) origins.delete(k);
  };

  const mergeInto = (target: Record<string, unknown>, source: Record<string, unknown>, layer: Layer, at: KeyPath) => {
    for (const [key, incoming] of Object.entries(source)) {
      const path = [...at, key];
      const origin = { file: layer.file, keyPath: [...layer.keyPath, ...path] };
      if (isPlainObject(incoming)) {
        if (!isPlainObject(target[key])) {
          forget(path);
          target[key] = {};
        }
        origins.set(keyOf(path), origin);
        mergeInto(target[key] as Record<string, unknown>, incoming, layer, path);
      } else {
        forget(path);
        target[key] = incoming;
        origins.set(keyOf(path), origin);
      }
    }
  };

  for (const layer of layers) if (layer.value) mergeInto(value, layer.value, layer, []);

  const fallback = [...layers].reverse().find((l) => l.value !== undefined) ?? layers[layers.length - 1];
  const locate: Locate = (path) => {
    for (let n = path.length; n > 0; n--) {
      const origin = origins.get(keyOf(path.slice(0, n)));
      if (origin) return { file: origin.file, keyPath: [...origin.keyPath, ...path.slice(n)] };
    }
    // A key missing at the top is owed by whoever chose the `type` (that decides what is required).
    const typeOrigin = origins.get(keyOf(['type']));
    if (typeOrigin) return { file: typeOrigin.file, keyPath: [...typeOrigin.keyPath.slice(0, -1), ...path] };
    return { file: fallback?.file ?? '', keyPath: [...(fallback?.keyPath ?? []), ...path] };
  };

  return { value, locate };
}
