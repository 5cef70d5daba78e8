/**
 * `${VAR}` and `${VAR:-default}` in string values (never in keys), from `--var` first and the
 * environment second. `$${VAR}` is the escape for a literal `${VAR}`.
 *
 * When a whole value is one reference (`pool_size: ${POOL_SIZE:-5}`), a result that reads as
 * a number or a boolean gets that type, so settings can come from the environment without
 * the schema rejecting "5" as a string.
 */
import type { KeyPath } from './problems';

export interface VariableSources {
  vars?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
}

export interface UnsetVariable {
  keyPath: KeyPath;
  variable: string;
}

const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

/** A copy of `value` with every reference expanded; unset variables are listed and left as written. */
export function expandVariables(value: unknown, sources: VariableSources): { value: unknown; unset: UnsetVariable[] } {
  const unset: UnsetVariable[] = [];
  const walk = (node: unknown, path: KeyPath): unknown => {
    if (typeof node === 'string') return expandString(node, path, sources, unset);
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return node;
  };
  return { value: walk(value, []), unset };
}

function lookup(name: string, sources: VariableSources): string | undefined {
  return sources.vars?.[name] ?? sources.env?.[name];
}

function expandString(text: string, keyPath: KeyPath, sources: VariableSources, unset: UnsetVariable[]): unknown {
  let missing = false;
  const expanded = text.replace(REFERENCE, (whole: string, escape: string, name: string, fallback: string | undefined) => {
    if (escape) return whole.slice(1);
    const found = lookup(name, sources);
    // Like the shell's `:-`, an empty value also takes the default.
    if (found !== undefined && (found !== '' || fallback === undefined)) return found;
    if (fallback !== undefined) return fallback;
    unset.push({ keyPath, variable: name });
    missing = true;
    return whole;
  });
  if (missing || !WHOLE_REFERENCE.test(text)) return expanded;
  return typedScalar(expanded);
}

function typedScalar(text: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text;
}
