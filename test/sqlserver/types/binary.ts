import { SqlError } from '../errors';
import { refuse } from './convert';
import { TruncationError, PLP_NULL, writePlpHeader } from './character';
import { isMax, MAX_LENGTH, type TypeFamily, type ValueEncoder, type WireReader } from './sql-type';

/** binary(n), varbinary(n|max): like the character family without collation; binary pads with 0x00. */
const BIGVARBINARY = 0xa5;
const BIGBINARY = 0xad;
const USHORT_NULL = Buffer.from([0xff, 0xff]);

export const binaryFamily: TypeFamily = {
  names: ['binary', 'varbinary'],
  wireIds: [BIGVARBINARY, BIGBINARY],
  normalize(t) {
    const length = t.length ?? 1;
    if (length === MAX_LENGTH && t.name === 'binary') throw new SqlError(102, `Incorrect syntax near 'max'.`, 1, 15, 'batch');
    if (length !== MAX_LENGTH && (length < 1 || length > 8000)) {
      throw new SqlError(2717, `The size (${length}) given to the column exceeds the maximum allowed for any data type (8000).`, 2, 16);
    }
    return { name: t.name, length };
  },
  declaration: (t) => `${t.name}(${isMax(t) ? 'max' : t.length})`,
  coerce(value, t) {
    if (!Buffer.isBuffer(value)) throw refuse(value, t.name);
    if (isMax(t)) return value;
    const n = t.length!;
    if (value.length > n) throw new TruncationError('');
    if (t.name === 'binary' && value.length < n) {
      const padded = Buffer.alloc(n);
      value.copy(padded);
      return padded;
    }
    return value;
  },
  typeInfo(t) {
    const b = Buffer.alloc(3);
    b[0] = t.name === 'binary' ? BIGBINARY : BIGVARBINARY;
    b.writeUInt16LE(isMax(t) ? 0xffff : t.length!, 1);
    return b;
  },
  encoder(t): ValueEncoder {
    if (isMax(t)) {
      return {
        maxSize: (v: Buffer) => 16 + v.length,
        write: (buf, pos, v: Buffer) => {
          const start = writePlpHeader(buf, pos, v.length);
          v.copy(buf, start);
          buf.writeUInt32LE(0, start + v.length);
          return start + v.length + 4;
        },
        nullBytes: PLP_NULL,
      };
    }
    return {
      maxSize: (v: Buffer) => 2 + v.length,
      write: (buf, pos, v: Buffer) => {
        buf.writeUInt16LE(v.length, pos);
        v.copy(buf, pos + 2);
        return pos + 2 + v.length;
      },
      nullBytes: USHORT_NULL,
    };
  },
  readTypeInfo(id, r) {
    const length = r.u16();
    const name = id === BIGBINARY ? 'binary' : 'varbinary';
    return { id, length, precision: 0, scale: 0, type: { name, length: length === 0xffff ? MAX_LENGTH : length } };
  },
  valueReader(info) {
    if (info.length === 0xffff) return (r: WireReader) => {
      const b = r.plp();
      return b === null ? null : Buffer.from(b);
    };
    return (r: WireReader) => {
      const len = r.u16();
      if (len === 0xffff) return null;
      return Buffer.from(r.bytes(len)); // copy: the message buffer is reused
    };
  },
};
