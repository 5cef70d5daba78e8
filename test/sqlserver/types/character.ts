import { SqlError } from '../errors';
import { refuse } from './convert';
import { Decimal, formatTemporal, Temporal } from './values';
import { isMax, MAX_LENGTH, type SqlType, type TypeFamily, type ValueEncoder, type WireReader } from './sql-type';

/**
 * char, varchar, nchar, nvarchar (n and max). Non-max values are USHORT-length prefixed;
 * max values use PLP (8-byte total length, chunks, zero terminator). All columns carry the
 * server collation SQL_Latin1_General_CP1_CI_AS; single-byte types are stored as strings
 * of Latin-1 characters (characters outside it become '?', as a code page conversion does).
 */
const BIGVARCHAR = 0xa7;
const BIGCHAR = 0xaf;
const NVARCHAR = 0xe7;
const NCHAR = 0xef;
const ID: Record<string, number> = { varchar: BIGVARCHAR, char: BIGCHAR, nvarchar: NVARCHAR, nchar: NCHAR };
const NAME: Record<number, SqlType['name']> = { [BIGVARCHAR]: 'varchar', [BIGCHAR]: 'char', [NVARCHAR]: 'nvarchar', [NCHAR]: 'nchar' };

/** SQL_Latin1_General_CP1_CI_AS: LCID 0x0409, CI/AS flags, sort id 52 (code page 1252). */
export const SERVER_COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

export const PLP_NULL = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
const USHORT_NULL = Buffer.from([0xff, 0xff]);

const isUnicode = (t: SqlType) => t.name === 'nchar' || t.name === 'nvarchar';
const isFixed = (t: SqlType) => t.name === 'char' || t.name === 'nchar';

/** Raised by coerce when a value is longer than the column; the caller adds table/column. */
export class TruncationError extends SqlError {
  constructor(readonly value: string) {
    super(2628, 'String or binary data would be truncated.', 1, 16);
  }
}

function toText(value: Exclude<import('./values').Value, null>, to: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof Decimal) return value.toString();
  if (value instanceof Temporal) return formatTemporal(value);
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  throw refuse(value, to);
}

/** Writes a PLP value whose bytes are `byteLength` long using `writeBody`. */
export function writePlpHeader(buf: Buffer, pos: number, byteLength: number): number {
  buf.writeUInt32LE(byteLength, pos);
  buf.writeUInt32LE(0, pos + 4);
  if (byteLength === 0) return pos + 8;
  buf.writeUInt32LE(byteLength, pos + 8);
  return pos + 12;
}

function writeUcs2(buf: Buffer, pos: number, s: string): number {
  const n = s.length;
  if (n < 24) {
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      buf[pos++] = c & 0xff;
      buf[pos++] = c >>> 8;
    }
    return pos;
  }
  return pos + buf.write(s, pos, 'utf16le');
}

function writeLatin1(buf: Buffer, pos: number, s: string): number {
  const n = s.length;
  if (n < 24) {
    for (let i = 0; i < n; i++) buf[pos++] = s.charCodeAt(i);
    return pos;
  }
  return pos + buf.write(s, pos, 'latin1');
}

export const characterFamily: TypeFamily = {
  names: ['char', 'varchar', 'nchar', 'nvarchar'],
  wireIds: [BIGVARCHAR, BIGCHAR, NVARCHAR, NCHAR],
  normalize(t) {
    const length = t.length ?? 1;
    const limit = isUnicode(t) ? 4000 : 8000;
    if (length === MAX_LENGTH && isFixed(t)) throw new SqlError(102, `Incorrect syntax near 'max'.`, 1, 15, 'batch');
    if (length !== MAX_LENGTH && (length < 1 || length > limit)) {
      throw new SqlError(2717, `The size (${length}) given to the column exceeds the maximum allowed for any data type (${limit}).`, 2, 16);
    }
    return { name: t.name, length };
  },
  declaration: (t) => `${t.name}(${isMax(t) ? 'max' : t.length})`,
  coerce(value, t) {
    let s = toText(value, t.name);
    if (!isUnicode(t)) s = s.replace(/[^\x00-\xff]/g, '?');
    if (!isMax(t)) {
      const n = t.length!;
      if (s.length > n) {
        // Trailing blanks are silently trimmed; anything else is a truncation error.
        if (/^ *$/.test(s.slice(n))) s = s.slice(0, n);
        else throw new TruncationError(s.slice(0, n));
      }
      if (isFixed(t) && s.length < n) s = s.padEnd(n, ' ');
    }
    return s;
  },
  typeInfo(t) {
    const b = Buffer.alloc(8);
    b[0] = ID[t.name];
    b.writeUInt16LE(isMax(t) ? 0xffff : t.length! * (isUnicode(t) ? 2 : 1), 1);
    SERVER_COLLATION.copy(b, 3);
    return b;
  },
  encoder(t): ValueEncoder {
    const unicode = isUnicode(t);
    const writeChars = unicode ? writeUcs2 : writeLatin1;
    const width = unicode ? 2 : 1;
    if (isMax(t)) {
      return {
        maxSize: (v: string) => 16 + v.length * width,
        write: (buf, pos, v: string) => {
          const end = writeChars(buf, writePlpHeader(buf, pos, v.length * width), v);
          buf.writeUInt32LE(0, end);
          return end + 4;
        },
        nullBytes: PLP_NULL,
      };
    }
    return {
      maxSize: (v: string) => 2 + v.length * width,
      write: (buf, pos, v: string) => {
        const end = writeChars(buf, pos + 2, v);
        buf.writeUInt16LE(end - pos - 2, pos);
        return end;
      },
      nullBytes: USHORT_NULL,
    };
  },
  readTypeInfo(id, r) {
    const length = r.u16();
    r.bytes(5); // collation: the server stores everything in its own collation
    const name = NAME[id];
    const chars = length === 0xffff ? MAX_LENGTH : id === NVARCHAR || id === NCHAR ? length / 2 : length;
    return { id, length, precision: 0, scale: 0, type: { name, length: chars } };
  },
  valueReader(info) {
    const encoding = info.id === NVARCHAR || info.id === NCHAR ? 'utf16le' : 'latin1';
    if (info.length === 0xffff) {
      return (r: WireReader) => {
        const b = r.plp();
        return b === null ? null : b.toString(encoding);
      };
    }
    return (r: WireReader) => {
      const len = r.u16();
      if (len === 0xffff) return null;
      r.need(len);
      const s = r.buf.toString(encoding, r.pos, r.pos + len);
      r.pos += len;
      return s;
    };
  },
};
