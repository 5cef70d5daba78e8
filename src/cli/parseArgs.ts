/** Value parsers for commander options; they throw HyggeError FILTER_INVALID so usage errors exit 2. */
import { HyggeError } from '../errors';

/** For repeatable options: `--flow a --flow b` → ['a', 'b']. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parsePositiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
      throw new HyggeError('FILTER_INVALID', `${flag} needs a whole number of at least 1, got "${value}"`);
    }
    return n;
  };
}

/** `--var key=value` (repeatable) → { key: value }; the value may itself contain `=`. */
export function parseVars(pairs: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new HyggeError('FILTER_INVALID', `--var needs key=value, got "${pair}"`, { hint: 'For example: --var DATA_ROOT=/mnt/data' });
    }
    vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return vars;
}
