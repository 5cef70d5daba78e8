/**
 * Object keys: `/`-separated, relative to the store's root (a local store also accepts
 * absolute paths). Both stores sort with the same comparator so listings agree.
 */

/** Plain UTF-16 code-unit order: deterministic and the same in every store. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Joins key segments with single slashes; empty segments vanish. */
export function joinKey(...parts: string[]): string {
  const joined = parts
    .filter((p) => p.length > 0)
    .map((p, i) => (i === 0 ? p.replace(/\/+$/, '') : p.replace(/^\/+|\/+$/g, '')))
    .filter((p) => p.length > 0)
    .join('/');
  return parts[0]?.startsWith('/') && !joined.startsWith('/') ? `/${joined}` : joined;
}

/** `a/b/` for `a/b`, `` for `` (the root). */
export function asFolderPrefix(key: string): string {
  const trimmed = key.replace(/\/+$/, '');
  return trimmed === '' || trimmed === '.' ? '' : `${trimmed}/`;
}

/** Normalises what a user wrote in `path:` into a key: backslashes, `./`, duplicate slashes. */
export function normaliseKey(path: string): string {
  let key = path.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  while (key.startsWith('./')) key = key.slice(2);
  return key === '.' ? '' : key;
}

/** The last segment of a key. */
export function baseName(key: string): string {
  const trimmed = key.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/**
 * Hidden by the Hive/Spark convention: a segment starting with `_` or `.` (staging areas,
 * `_SUCCESS`, temp files). Folder and glob reads skip these.
 */
export function isHiddenKey(relativeKey: string): boolean {
  return relativeKey.split('/').some((segment) => segment.startsWith('_') || segment.startsWith('.'));
}
