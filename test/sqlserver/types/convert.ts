import { SqlError, sqlErrors, implicitConversion } from '../errors';
import { Decimal, Temporal, toPlainString, type Value } from './values';

/** The SQL type name a JS-held value reads as in conversion error messages. */
export function sourceTypeName(v: Exclude<Value, null>): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'bigint';
  if (typeof v === 'boolean') return 'bit';
  if (typeof v === 'string') return 'varchar';
  if (Buffer.isBuffer(v)) return 'varbinary';
  if (v instanceof Decimal) return 'numeric';
  return 'datetime2';
}

export function refuse(v: Exclude<Value, null>, to: string): SqlError {
  return implicitConversion(sourceTypeName(v), to);
}

/** Converts a value to an exact Decimal (for integer and fixed-point targets). */
export function toDecimal(v: Exclude<Value, null>, to: string): Decimal {
  if (v instanceof Decimal) return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw sqlErrors.overflow(to);
    return Decimal.parse(toPlainString(v))!;
  }
  if (typeof v === 'bigint') return new Decimal(v, 0);
  if (typeof v === 'boolean') return new Decimal(v ? 1n : 0n, 0);
  if (typeof v === 'string') {
    const d = Decimal.parse(v);
    if (!d) throw sqlErrors.conversion('varchar', v, to);
    return d;
  }
  throw refuse(v, to);
}


/** Converts a value to a double (for real/float targets and float arithmetic). */
export function toDouble(v: Exclude<Value, null>, to = 'float'): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Decimal) return v.toNumber();
  if (typeof v === 'string') {
    const t = v.trim();
    const n = Number(t);
    if (t === '' || Number.isNaN(n)) throw sqlErrors.conversion('varchar', v, to);
    return n;
  }
  if (v instanceof Temporal) throw refuse(v, to);
  throw refuse(v, to);
}
