import { sqlErrors } from '../errors';
import { toDecimal } from './convert';
import { POW10, type Value } from './values';
import { readInt64, writeInt64 } from './int64';
import type { SqlType, TypeFamily, TypeName, ValueEncoder, WireReader, WireTypeInfo } from './sql-type';

/** tinyint, smallint, int, bigint: INTn (fixed, NOT NULL columns) and INTN (nullable). */
const FIXED_ID: Record<string, number> = { tinyint: 0x30, smallint: 0x34, int: 0x38, bigint: 0x7f };
const SIZE: Record<string, number> = { tinyint: 1, smallint: 2, int: 4, bigint: 8 };
const NAME_BY_SIZE: Record<number, TypeName> = { 1: 'tinyint', 2: 'smallint', 4: 'int', 8: 'bigint' };
const RANGE: Record<string, [bigint, bigint]> = {
  tinyint: [0n, 255n],
  smallint: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
};
const INTN = 0x26;
const NULL1 = Buffer.from([0]);
const EMPTY = Buffer.alloc(0);

function checkRange(v: bigint, name: string): void {
  const [lo, hi] = RANGE[name];
  if (v < lo || v > hi) throw sqlErrors.overflow(name);
}

function writeInt(size: number, withLength: boolean): (buf: Buffer, pos: number, v: any) => number {
  const p = withLength ? 1 : 0;
  switch (size) {
    case 1: return (buf, pos, v) => { if (p) buf[pos] = 1; buf[pos + p] = v; return pos + p + 1; };
    case 2: return (buf, pos, v) => { if (p) buf[pos] = 2; buf.writeInt16LE(v, pos + p); return pos + p + 2; };
    case 4: return (buf, pos, v) => { if (p) buf[pos] = 4; buf.writeInt32LE(v, pos + p); return pos + p + 4; };
    default: return (buf, pos, v) => { if (p) buf[pos] = 8; writeInt64(buf, pos + p, v); return pos + p + 8; };
  }
}

function readFixed(size: number): (r: WireReader) => Value {
  switch (size) {
    case 1: return (r) => r.u8();
    case 2: return (r) => { r.need(2); const v = r.buf.readInt16LE(r.pos); r.pos += 2; return v; };
    case 4: return (r) => r.i32();
    default: return (r) => { r.need(8); const v = readInt64(r.buf, r.pos); r.pos += 8; return v; };
  }
}

export const integerFamily: TypeFamily = {
  names: ['tinyint', 'smallint', 'int', 'bigint'],
  wireIds: [0x30, 0x34, 0x38, 0x7f, INTN],
  normalize: (t) => ({ name: t.name }),
  declaration: (t) => t.name,
  coerce(value, t) {
    let whole: bigint;
    if (typeof value === 'number' && Number.isInteger(value)) whole = BigInt(value);
    else if (typeof value === 'bigint') whole = value;
    else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) whole = BigInt(value.trim());
    else if (typeof value === 'string') throw sqlErrors.conversion('varchar', value, t.name);
    else {
      // decimals and floats truncate toward zero, as CONVERT does
      const d = toDecimal(value, t.name);
      whole = d.unscaled / POW10[d.scale];
    }
    checkRange(whole, t.name);
    return t.name === 'bigint' ? whole : Number(whole);
  },
  typeInfo: (t, nullable) => (nullable ? Buffer.from([INTN, SIZE[t.name]]) : Buffer.from([FIXED_ID[t.name]])),
  encoder(t, nullable): ValueEncoder {
    const size = SIZE[t.name] + (nullable ? 1 : 0);
    return { maxSize: () => size, write: writeInt(SIZE[t.name], nullable), nullBytes: nullable ? NULL1 : EMPTY };
  },
  readTypeInfo(id, r): WireTypeInfo {
    if (id === INTN) {
      const length = r.u8();
      const name = NAME_BY_SIZE[length];
      if (!name) throw sqlErrors.unsupportedType(`Invalid INTN length ${length}.`);
      return { id, length, precision: 0, scale: 0, type: { name } };
    }
    const name = (Object.keys(FIXED_ID) as TypeName[]).find((n) => FIXED_ID[n] === id)!;
    return { id, length: SIZE[name], precision: 0, scale: 0, type: { name } };
  },
  valueReader(info) {
    if (info.id !== INTN) return readFixed(info.length);
    const bySize: Record<number, (r: WireReader) => Value> = { 1: readFixed(1), 2: readFixed(2), 4: readFixed(4), 8: readFixed(8) };
    return (r) => {
      const len = r.u8();
      if (len === 0) return null;
      const read = bySize[len];
      if (!read) throw sqlErrors.unsupportedType(`Invalid INTN value length ${len}.`);
      return read(r);
    };
  },
};

export type { SqlType };
