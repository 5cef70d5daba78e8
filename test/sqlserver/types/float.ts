import { sqlErrors } from '../errors';
import { toDouble } from './convert';
import type { TypeFamily, ValueEncoder } from './sql-type';

/** real (4 bytes) and float (8 bytes): FLT4/FLT8 for NOT NULL columns, FLTN for nullable. */
const REAL = 0x3b;
const FLOAT = 0x3e;
const FLTN = 0x6d;

export const floatFamily: TypeFamily = {
  names: ['real', 'float'],
  wireIds: [REAL, FLOAT, FLTN],
  // float(n): n <= 24 is real, otherwise float(53); the precision is folded into the name.
  normalize: (t) => (t.name === 'float' && t.precision !== undefined && t.precision <= 24 ? { name: 'real' } : { name: t.name }),
  declaration: (t) => t.name,
  coerce(value, t) {
    const n = toDouble(value, t.name);
    if (!Number.isFinite(n)) throw sqlErrors.overflow(t.name);
    return t.name === 'real' ? Math.fround(n) : n;
  },
  typeInfo: (t, nullable) =>
    nullable ? Buffer.from([FLTN, t.name === 'real' ? 4 : 8]) : Buffer.from([t.name === 'real' ? REAL : FLOAT]),
  encoder(t, nullable): ValueEncoder {
    const p = nullable ? 1 : 0;
    const nullBytes = nullable ? Buffer.from([0]) : Buffer.alloc(0);
    if (t.name === 'real') {
      return { maxSize: () => 5, write: (buf, pos, v) => { if (p) buf[pos] = 4; buf.writeFloatLE(v, pos + p); return pos + p + 4; }, nullBytes };
    }
    return { maxSize: () => 9, write: (buf, pos, v) => { if (p) buf[pos] = 8; buf.writeDoubleLE(v, pos + p); return pos + p + 8; }, nullBytes };
  },
  readTypeInfo(id, r) {
    const length = id === FLTN ? r.u8() : id === REAL ? 4 : 8;
    if (length !== 4 && length !== 8) throw sqlErrors.unsupportedType(`Invalid FLTN length ${length}.`);
    return { id, length, precision: 0, scale: 0, type: { name: length === 4 ? 'real' : 'float' } };
  },
  valueReader(info) {
    const read4 = (r: import('./sql-type').WireReader) => { r.need(4); const v = r.buf.readFloatLE(r.pos); r.pos += 4; return v; };
    const read8 = (r: import('./sql-type').WireReader) => { r.need(8); const v = r.buf.readDoubleLE(r.pos); r.pos += 8; return v; };
    if (info.id === REAL) return read4;
    if (info.id === FLOAT) return read8;
    return (r) => {
      const len = r.u8();
      return len === 0 ? null : len === 4 ? read4(r) : read8(r);
    };
  },
};
