import { sqlErrors } from '../errors';
import { refuse, toDecimal } from './convert';
import { Temporal } from './values';
import type { TypeFamily, ValueEncoder } from './sql-type';

/** bit: BIT (NOT NULL columns) and BITN (nullable); stored as boolean. */
const BIT = 0x32;
const BITN = 0x68;

export const bitFamily: TypeFamily = {
  names: ['bit'],
  wireIds: [BIT, BITN],
  normalize: () => ({ name: 'bit' }),
  declaration: () => 'bit',
  coerce(value, t) {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      const s = value.trim().toUpperCase();
      if (s === 'TRUE') return true;
      if (s === 'FALSE') return false;
      if (!/^[+-]?\d+(\.\d*)?$/.test(s)) throw sqlErrors.conversion('varchar', value, t.name);
    }
    if (Buffer.isBuffer(value) || value instanceof Temporal) throw refuse(value, 'bit');
    return toDecimal(value, 'bit').unscaled !== 0n;
  },
  typeInfo: (_t, nullable) => (nullable ? Buffer.from([BITN, 1]) : Buffer.from([BIT])),
  encoder(_t, nullable): ValueEncoder {
    if (!nullable) return { maxSize: () => 1, write: (buf, pos, v) => { buf[pos] = v ? 1 : 0; return pos + 1; }, nullBytes: Buffer.alloc(0) };
    return { maxSize: () => 2, write: (buf, pos, v) => { buf[pos] = 1; buf[pos + 1] = v ? 1 : 0; return pos + 2; }, nullBytes: Buffer.from([0]) };
  },
  readTypeInfo(id, r) {
    const length = id === BITN ? r.u8() : 1;
    return { id, length, precision: 0, scale: 0, type: { name: 'bit' } };
  },
  valueReader(info) {
    if (info.id === BIT) return (r) => r.u8() !== 0;
    return (r) => (r.u8() === 0 ? null : r.u8() !== 0);
  },
};
