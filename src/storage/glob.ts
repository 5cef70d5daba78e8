/**
 * Globs over object keys: `*` (within a segment), `**` (any number of segments), `?` (one
 * character). Enough for `sales/2024-*\/*.parquet` and `raw/**\/orders.parquet`; no braces or
 * classes, which would also need escaping rules users do not expect in paths.
 */

export function isGlob(path: string): boolean {
  return /[*?]/.test(path);
}

/** The longest leading part without wildcards, up to a `/`: the prefix to list. */
export function globBase(pattern: string): string {
  const firstWild = pattern.search(/[*?]/);
  if (firstWild < 0) return pattern;
  return pattern.slice(0, pattern.lastIndexOf('/', firstWild) + 1);
}

export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more whole segments; a trailing `**` matches anything
      if (pattern[i + 2] === '/') {
        re += '(?:[^/]*/)*';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`, 'u');
}
