import { SqlError, sqlErrors } from '../errors';
import { toDecimal } from './convert';
import { Decimal } from './values';
import { readUInt64, writeUInt64 } from './int64';
import type { TypeFamily, ValueEncoder, WireReader } from './sql-type';

/** decimal/numeric(p,s) up to precision 38: DECIMALN/NUMERICN, sign byte + LE magnitude. */
const DECIMALN = 0x6a;
const NUMERICN = 0x6c;
const LEGACY_DECIMAL = 0x37;
const LEGACY_NUMERIC = 0x3f;
const MASK64 = 0xffff_ffff_ffff_ffffn;

/** Bytes of magnitude for a precision, as MS-TDS fixes them. */
export function magnitudeBytes(precision: number): number {
  return precision <= 9 ? 4 : precision <= 19 ? 8 : precision <= 28 ? 12 : 16;
}

/** Checks a decimal fits decimal(p,s) and returns it at scale s. */
export function fitDecimal(d: Decimal, precision: number, scale: number, typeName: string): Decimal {
  const r = d.rescale(scale);
  if (r.integerDigits() > precision - scale) throw new SqlError(8115, `Arithmetic overflow error converting numeric to data type ${typeName}.`, 8, 16);
  return r;
}

/** Writes sign + magnitude (the caller writes the length byte). 64-bit halves keep BigInt
 * allocations to a minimum on the hot path of large result sets. */
export function writeScaled(buf: Buffer, pos: number, unscaled: bigint, bytes: number): number {
  const neg = unscaled < 0n;
  const m = neg ? -unscaled : unscaled;
  buf[pos++] = neg ? 0 : 1;
  switch (bytes) {
    case 4:
      buf.writeUInt32LE(Number(m), pos);
      return pos + 4;
    case 8:
      writeUInt64(buf, pos, m);
      return pos + 8;
    case 12:
      buf.writeBigUInt64LE(m & MASK64, pos);
      buf.writeUInt32LE(Number(m >> 64n), pos + 8);
      return pos + 12;
    default:
      buf.writeBigUInt64LE(m & MASK64, pos);
      buf.writeBigUInt64LE(m >> 64n, pos + 8);
      return pos + 16;
  }
}

export function readScaled(r: WireReader, bytes: number): bigint {
  r.need(bytes + 1);
  const buf = r.buf;
  const positive = buf[r.pos++] === 1;
  let m: bigint;
  switch (bytes) {
    case 4: m = BigInt(buf.readUInt32LE(r.pos)); break;
    case 8: m = readUInt64(buf, r.pos); break;
    case 12: m = (BigInt(buf.readUInt32LE(r.pos + 8)) << 64n) | buf.readBigUInt64LE(r.pos); break;
    default: m = (buf.readBigUInt64LE(r.pos + 8) << 64n) | buf.readBigUInt64LE(r.pos); break;
  }
  r.pos += bytes;
  return positive ? m : -m;
}

export const decimalFamily: TypeFamily = {
  names: ['decimal', 'numeric'],
  wireIds: [DECIMALN, NUMERICN, LEGACY_DECIMAL, LEGACY_NUMERIC],
  normalize(t) {
    const precision = t.precision ?? 18;
    const scale = t.scale ?? 0;
    if (precision < 1 || precision > 38) throw new SqlError(2750, `Column or parameter #1: Specified column precision ${precision} is greater than the maximum precision of 38.`, 1, 16);
    if (scale < 0 || scale > precision) throw new SqlError(2751, `Column or parameter #1: Specified column scale ${scale} is greater than the specified precision of ${precision}.`, 1, 16);
    return { name: t.name, precision, scale };
  },
  declaration: (t) => `${t.name}(${t.precision},${t.scale})`,
  coerce(value, t) {
    if (typeof value === 'string' && !Decimal.parse(value)) throw sqlErrors.conversion('varchar', value, t.name);
    return fitDecimal(toDecimal(value, t.name), t.precision!, t.scale!, t.name);
  },
  typeInfo: (t) => Buffer.from([t.name === 'numeric' ? NUMERICN : DECIMALN, magnitudeBytes(t.precision!) + 1, t.precision!, t.scale!]),
  encoder(t): ValueEncoder {
    const bytes = magnitudeBytes(t.precision!);
    return {
      maxSize: () => bytes + 2,
      write: (buf, pos, v: Decimal) => {
        buf[pos] = bytes + 1;
        return writeScaled(buf, pos + 1, v.unscaled, bytes);
      },
      nullBytes: Buffer.from([0]),
    };
  },
  readTypeInfo(id, r) {
    const length = r.u8();
    const precision = r.u8();
    const scale = r.u8();
    const name = id === NUMERICN || id === LEGACY_NUMERIC ? 'numeric' : 'decimal';
    return { id, length, precision, scale, type: { name, precision, scale } };
  },
  valueReader(info) {
    return (r) => {
      const len = r.u8();
      if (len === 0) return null;
      if (len !== 5 && len !== 9 && len !== 13 && len !== 17) throw sqlErrors.unsupportedType(`Invalid decimal length ${len}.`);
      return new Decimal(readScaled(r, len - 1), info.scale);
    };
  },
};
