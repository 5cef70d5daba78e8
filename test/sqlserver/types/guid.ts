import { sqlErrors } from '../errors';
import { refuse } from './convert';
import { guidFromWire, parseGuid, writeGuid } from './values';
import type { TypeFamily, ValueEncoder } from './sql-type';

/** uniqueidentifier: GUIDN (length 16); stored as upper-case canonical text. */
const GUIDN = 0x24;

export const guidFamily: TypeFamily = {
  names: ['uniqueidentifier'],
  wireIds: [GUIDN],
  normalize: () => ({ name: 'uniqueidentifier' }),
  declaration: () => 'uniqueidentifier',
  coerce(value) {
    if (typeof value === 'string') {
      const g = parseGuid(value);
      if (!g) throw sqlErrors.guidConversion();
      return g;
    }
    if (Buffer.isBuffer(value) && value.length === 16) return guidFromWire(value, 0);
    throw refuse(value, 'uniqueidentifier');
  },
  typeInfo: () => Buffer.from([GUIDN, 16]),
  encoder(): ValueEncoder {
    return {
      maxSize: () => 17,
      write: (buf, pos, v: string) => {
        buf[pos] = 16;
        writeGuid(buf, pos + 1, v);
        return pos + 17;
      },
      nullBytes: Buffer.from([0]),
    };
  },
  readTypeInfo(id, r) {
    const length = r.u8();
    return { id, length, precision: 0, scale: 0, type: { name: 'uniqueidentifier' } };
  },
  valueReader() {
    return (r) => {
      const len = r.u8();
      if (len === 0) return null;
      r.need(16);
      const g = guidFromWire(r.buf, r.pos);
      r.pos += 16;
      return g;
    };
  },
};
