import { sqlErrors } from '../errors';
import { sourceTypeName, toDouble } from '../types/convert';
import { Decimal, parseTemporal, POW10, Temporal, type Value } from '../types';

type NonNull = Exclude<Value, null>;

const isExactNumeric = (v: NonNull) => typeof v === 'bigint' || v instanceof Decimal || typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v));

function asDecimal(v: NonNull): Decimal {
  if (v instanceof Decimal) return v;
  if (typeof v === 'bigint') return new Decimal(v, 0);
  if (typeof v === 'boolean') return new Decimal(v ? 1n : 0n, 0);
  return new Decimal(BigInt(v as number), 0);
}

function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = a.unscaled * POW10[scale - a.scale];
  const y = b.unscaled * POW10[scale - b.scale];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Folds a string for the server's case-insensitive collation (trailing blanks ignored). */
export function foldString(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return (end === s.length ? s : s.slice(0, end)).toUpperCase();
}

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const x = foldString(a);
  const y = foldString(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const isNumeric = (v: NonNull) => typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof Decimal;

/**
 * Three-way comparison of two non-null values with SQL Server's implicit conversions:
 * numbers across int/bigint/decimal/float, strings converted to the other side's type
 * (numbers, dates), strings compared case-insensitively. Incompatible types raise 206.
 */
export function compareValues(a: NonNull, b: NonNull): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (isNumeric(a) && isNumeric(b)) {
    if (isExactNumeric(a) && isExactNumeric(b)) return compareDecimals(asDecimal(a), asDecimal(b));
    const x = toDouble(a);
    const y = toDouble(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a instanceof Temporal && b instanceof Temporal) return a.compare(b);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return Buffer.compare(a, b);
  // Mixed string / other: the string converts to the other operand's type.
  if (typeof a === 'string') return -compareValues(b, a);
  if (typeof b === 'string') {
    if (isNumeric(a)) {
      const d = Decimal.parse(b);
      if (d && isExactNumeric(a)) {
        if (!(a instanceof Decimal) && d.scale > 0 && typeof a !== 'bigint') {
          // int = '1.5' fails in SQL Server: varchar -> int conversion
          throw sqlErrors.conversion('varchar', b, sourceTypeName(a));
        }
        return compareDecimals(asDecimal(a), d);
      }
      if (d === undefined && typeof a !== 'number') throw sqlErrors.conversion('varchar', b, sourceTypeName(a));
      return compareValues(a, toDouble(b, sourceTypeName(a)));
    }
    if (a instanceof Temporal) {
      const t = parseTemporal(b);
      if (!t) throw sqlErrors.dateConversion();
      return compareValues(a, t);
    }
  }
  throw sqlErrors.typeClash(sourceTypeName(a), sourceTypeName(b));
}

/** SQL equality (NULL-unaware; callers handle NULL). */
export function valuesEqual(a: NonNull, b: NonNull): boolean {
  return compareValues(a, b) === 0;
}
