/**
 * One TDS cell (MS-TDS 2.2.5.5 TYPE_VARBYTE) → one Arrow value, read straight from the packet
 * bytes into the batch's typed arrays. The Arrow result is exactly what columnAccumulators.ts
 * makes of tedious's JS values (same fields from arrowFieldsForSql), without the JS values:
 * no Date, no BigInt, no string per cell for the common cases, and decimals, money and
 * datetimeoffset exact from their wire form instead of a text CAST on the server.
 *
 * Only types whose cells are length-prefixed within a row are here; PLP (max) types, xml,
 * text/ntext/image, sql_variant and UDTs are left to tedious (see fastReadable).
 */
import * as arrow from 'apache-arrow';
import { arrowFieldsForSql } from '../../../arrow/arrowTypeMap';
import type { ColumnArray } from '../../../arrow/columnAccumulators';
import type { SqlType } from '../../../arrow/sqlType';
import { checkNanosRange } from '../../../arrow/temporal';
import { HyggeError } from '../../../errors';
import { copyInt64, setInt64MulAdd } from './int64';
import type { ColumnArrayType } from './arrayPool';
import { BatchArrays, BoolOutput, FixedOutput, VariableOutput } from './outputs';
import { decodeSingleByteText } from './singleByteText';

/** the part of tedious's column metadata the reader needs */
export interface TdsColumnMeta {
  colName: string;
  type: { name: string };
  dataLength?: number;
  scale?: number;
  collation?: { codepage?: string };
}

export interface CellReader {
  readonly fields: arrow.Field[];
  /** bytes the cell at pos takes, length prefix included, or -1 when the prefix is past `end` */
  size(buf: Uint8Array, pos: number, end: number): number;
  /** decodes the complete cell at pos into row `row` (a NULL cell included) */
  read(buf: Buffer, pos: number, row: number): void;
  /** row `row` is NULL (its bit in an NBCROW null bitmap) */
  setNull(row: number): void;
  /** a batch's first row is coming: take arrays for it */
  start(): void;
  finish(length: number): arrow.Data[];
}

const DAYS_YEAR_ONE_TO_EPOCH = 719_162;
const DAYS_1900_TO_EPOCH = 25_567;
const MS_PER_DAY = 86_400_000;
/** tedious rounds datetime's 1/300 s with this factor; the same here keeps both paths identical */
const THREE_AND_A_THIRD = 3 + 1 / 3;
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000];
/** the two lowercase ASCII hex digits of byte value v at [2v] and [2v + 1] */
const HEX_DIGITS = Uint8Array.from({ length: 512 }, (_, i) => '0123456789abcdef'.charCodeAt(i & 1 ? (i >> 1) & 15 : i >> 5));
/** byte order of a GUID's text (-1: a dash): the first three groups are little-endian on the wire */
const GUID_ORDER = Int8Array.from([3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15]);
/** below this many bytes a loop copies faster than subarray + set, and allocates nothing */
const SHORT_COPY = 64;

const FIXED_SIZE: Record<string, number> = {
  TinyInt: 1, SmallInt: 2, Int: 4, BigInt: 8, Real: 4, Float: 8, SmallMoney: 4, Money: 8, Bit: 1, SmallDateTime: 4, DateTime: 8,
};
const BYTE_PREFIXED = new Set(['IntN', 'FloatN', 'MoneyN', 'BitN', 'DateTimeN', 'Date', 'Time', 'DateTime2', 'DateTimeOffset',
  'DecimalN', 'NumericN', 'Decimal', 'Numeric', 'UniqueIdentifier']);
const SHORT_PREFIXED = new Set(['Char', 'VarChar', 'NChar', 'NVarChar', 'Binary', 'VarBinary']);
const MAX = 0xffff;

/** the wire types that may carry each SQL type's values */
const WIRE_TYPES: Record<SqlType['base'], string[]> = {
  tinyint: ['TinyInt', 'IntN'], smallint: ['SmallInt', 'IntN'], int: ['Int', 'IntN'], bigint: ['BigInt', 'IntN'],
  bit: ['Bit', 'BitN'], real: ['Real', 'FloatN'], float: ['Float', 'FloatN'],
  smallmoney: ['SmallMoney', 'MoneyN'], money: ['Money', 'MoneyN'],
  decimal: ['DecimalN', 'NumericN', 'Decimal', 'Numeric'], numeric: ['DecimalN', 'NumericN', 'Decimal', 'Numeric'],
  date: ['Date'], time: ['Time'], datetime2: ['DateTime2'], datetimeoffset: ['DateTimeOffset'],
  datetime: ['DateTime', 'DateTimeN'], smalldatetime: ['SmallDateTime', 'DateTimeN'],
  uniqueidentifier: ['UniqueIdentifier'],
  char: ['Char', 'VarChar'], varchar: ['Char', 'VarChar'], nchar: ['NChar', 'NVarChar'], nvarchar: ['NChar', 'NVarChar'],
  binary: ['Binary', 'VarBinary'], varbinary: ['Binary', 'VarBinary'],
  text: [], ntext: [], xml: [], image: [],
};

/** true when the row decoder reads this SQL type (everything but PLP/max and legacy LOB types) */
export function fastReadable(t: SqlType): boolean {
  if (WIRE_TYPES[t.base].length === 0) return false;
  return !(SHORT_PREFIXED.has(WIRE_TYPES[t.base][0]!) && (t.length === 'max' || t.length === undefined));
}

export function cellReader(meta: TdsColumnMeta, t: SqlType, nullable: boolean, arrays: BatchArrays): CellReader {
  const wire = meta.type.name;
  if (!WIRE_TYPES[t.base].includes(wire) || (SHORT_PREFIXED.has(wire) && meta.dataLength === MAX)) {
    throw new HyggeError('SCHEMA_MISMATCH', `column "${meta.colName}" arrived as TDS type ${wire}, not as the ${t.base} it was described as`, {
      hint: 'The table changed while it was read; run again.',
    });
  }
  const fields = arrowFieldsForSql(meta.colName, t, nullable);
  const size = sizeOf(wire);
  const decode = decoderFor(meta, t, fields, arrays);
  return { fields, size, read: decode.read, setNull: decode.setNull, start: decode.start, finish: decode.finish };
}

function sizeOf(wire: string): CellReader['size'] {
  const fixed = FIXED_SIZE[wire];
  if (fixed !== undefined) return () => fixed;
  if (BYTE_PREFIXED.has(wire)) return (buf, pos, end) => (pos < end ? 1 + buf[pos]! : -1);
  return (buf, pos, end) => {
    if (pos + 1 >= end) return -1;
    const n = buf[pos]! | (buf[pos + 1]! << 8);
    return n === MAX ? 2 : 2 + n;
  };
}

interface Decoder {
  read: CellReader['read'];
  setNull: CellReader['setNull'];
  start: CellReader['start'];
  finish: CellReader['finish'];
}

/**
 * The value's bytes (after any prefix) and their length; `len` 0 of a length-prefixed cell
 * means NULL. Fixed-size wire types are never NULL except through an NBCROW bitmap.
 */
type ValueWriter = (buf: Buffer, pos: number, len: number, row: number) => void;

function decoderFor(meta: TdsColumnMeta, t: SqlType, fields: arrow.Field[], arrays: BatchArrays): Decoder {
  const wire = meta.type.name;
  const fixed = FIXED_SIZE[wire];
  const short = SHORT_PREFIXED.has(wire);
  const name = meta.colName;
  // a cell's value: where it starts and how long it is, or NULL
  const withValue = (write: ValueWriter, setNull: (row: number) => void): CellReader['read'] => {
    if (fixed !== undefined) return (buf, pos, row) => write(buf, pos, fixed, row);
    if (short) {
      return (buf, pos, row) => {
        const n = buf[pos]! | (buf[pos + 1]! << 8);
        if (n === MAX) setNull(row);
        else write(buf, pos + 2, n, row);
      };
    }
    return (buf, pos, row) => {
      const n = buf[pos]!;
      if (n === 0) setNull(row);
      else write(buf, pos + 1, n, row);
    };
  };
  const fixedDecoder = <A extends ColumnArray>(
    width: number,
    type: ColumnArrayType<A>,
    write: (out: FixedOutput<A>, buf: Buffer, pos: number, len: number, row: number) => void,
  ): Decoder => {
    const out = new FixedOutput(fields[0]!, arrays, width, type);
    const setNull = () => out.setNull();
    return {
      read: withValue((buf, pos, len, row) => {
        out.validity.set(row);
        write(out, buf, pos, len, row);
      }, setNull),
      setNull,
      start: () => out.start(),
      finish: (length) => [out.finish(length)],
    };
  };
  const int64 = (write: (words: Int32Array, buf: Buffer, pos: number, len: number, row: number) => void) =>
    fixedDecoder(1, BigInt64Array, (out, buf, pos, len, row) => write(out.words, buf, pos, len, row));
  const scale = t.scale ?? 7;

  switch (t.base) {
    case 'tinyint': return fixedDecoder(1, Uint8Array, (o, b, p, _l, r) => { o.values[r] = b[p]!; });
    case 'smallint': return fixedDecoder(1, Int16Array, (o, b, p, len, r) => { o.values[r] = intOf(b, p, len); });
    case 'int': return fixedDecoder(1, Int32Array, (o, b, p, len, r) => { o.values[r] = intOf(b, p, len); });
    case 'bigint':
      return int64((w, b, p, len, r) => {
        if (len === 8) copyInt64(w, r, b, p);
        else setInt64MulAdd(w, r, intOf(b, p, len), 1, 0);
      });
    case 'real': return fixedDecoder(1, Float32Array, (o, b, p, len, r) => { o.values[r] = len === 4 ? b.readFloatLE(p) : b.readDoubleLE(p); });
    case 'float': return fixedDecoder(1, Float64Array, (o, b, p, len, r) => { o.values[r] = len === 4 ? b.readFloatLE(p) : b.readDoubleLE(p); });
    case 'money': case 'smallmoney':
      // money: high 32 bits first, then low; both are an integer count of 1/10000
      return fixedDecoder(4, Uint32Array, (o, b, p, len, r) => {
        const w = o.words;
        const at = r * 4;
        const high = len === 8 ? b.readInt32LE(p) : b.readInt32LE(p) < 0 ? -1 : 0;
        w[at] = len === 8 ? b.readInt32LE(p + 4) : b.readInt32LE(p);
        w[at + 1] = high;
        w[at + 2] = w[at + 3] = high < 0 ? -1 : 0;
      });
    case 'decimal': case 'numeric':
      // a sign byte (1 = positive), then the magnitude in 4, 8, 12 or 16 little-endian bytes
      return fixedDecoder(4, Uint32Array, (o, b, p, len, r) => {
        const w = o.values;
        const at = r * 4;
        const words = (len - 1) >> 2;
        for (let i = 0; i < 4; i++) w[at + i] = i < words ? b.readUInt32LE(p + 1 + 4 * i) : 0;
        if (b[p] === 1) return;
        // negative: two's complement of the 128-bit magnitude
        let carry = 1;
        for (let i = 0; i < 4; i++) {
          const v = (~w[at + i]! >>> 0) + carry;
          w[at + i] = v >>> 0;
          carry = v > 0xffffffff ? 1 : 0;
        }
      });
    case 'date':
      return fixedDecoder(1, Int32Array, (o, b, p, _l, r) => { o.values[r] = b.readUIntLE(p, 3) - DAYS_YEAR_ONE_TO_EPOCH; });
    case 'time':
      return int64((w, b, p, len, r) => {
        const ticks = b.readUIntLE(p, len) * POW10[7 - scale]!;
        // scale 7 → nanoseconds, else microseconds (ticks are then a multiple of 10)
        if (scale === 7) setInt64MulAdd(w, r, ticks, 100, 0);
        else setInt64MulAdd(w, r, ticks / 10, 1, 0);
      });
    case 'datetime2':
      return int64((w, b, p, len, r) => writeInstant(w, r, b, p, len - 3, scale, name));
    case 'datetime': case 'smalldatetime':
      return int64((w, b, p, len, r) => {
        const ms = len === 8
          ? (b.readInt32LE(p) - DAYS_1900_TO_EPOCH) * MS_PER_DAY + Math.round(b.readInt32LE(p + 4) * THREE_AND_A_THIRD)
          : (b.readUInt16LE(p) - DAYS_1900_TO_EPOCH) * MS_PER_DAY + b.readUInt16LE(p + 2) * 60_000;
        setInt64MulAdd(w, r, ms, 1000, 0);
      });
    case 'datetimeoffset': {
      // UTC date and time, then the offset in minutes (a sibling Int16 field)
      const instant = new FixedOutput(fields[0]!, arrays, 1, BigInt64Array);
      const offset = new FixedOutput(fields[1]!, arrays, 1, Int16Array);
      const setNull = () => {
        instant.setNull();
        offset.setNull();
      };
      return {
        read: withValue((b, p, len, r) => {
          instant.validity.set(r);
          offset.validity.set(r);
          writeInstant(instant.words, r, b, p, len - 5, scale, name);
          offset.values[r] = b.readInt16LE(p + len - 2);
        }, setNull),
        setNull,
        start: () => {
          instant.start();
          offset.start();
        },
        finish: (length) => [instant.finish(length), offset.finish(length)],
      };
    }
    case 'bit': {
      const out = new BoolOutput(fields[0]!, arrays);
      const setNull = () => { out.validity.nulls++; };
      return {
        read: withValue((b, p, _l, r) => {
          out.validity.set(r);
          if (b[p] !== 0) out.bits[r >> 3]! |= 1 << (r & 7);
        }, setNull),
        setNull,
        start: () => out.start(),
        finish: (length) => [out.finish(length)],
      };
    }
    case 'uniqueidentifier':
      return variable(fields[0]!, arrays, 36, withValue, (out, b, p) => {
        // canonical lowercase text, written as bytes (no string per value)
        const bytes = out.bytes;
        let at = out.at;
        for (let k = 0; k < GUID_ORDER.length; k++) {
          const i = GUID_ORDER[k]!;
          if (i < 0) {
            bytes[at++] = 0x2d;
            continue;
          }
          const v = b[p + i]! << 1;
          bytes[at++] = HEX_DIGITS[v]!;
          bytes[at++] = HEX_DIGITS[v + 1]!;
        }
        out.at = at;
      }, 36);
    case 'nchar': case 'nvarchar':
      return variable(fields[0]!, arrays, 32, withValue, (out, b, p, len) => writeUtf8FromUtf16(out, b, p, len), 3);
    case 'char': case 'varchar': {
      const codepage = meta.collation?.codepage ?? 'utf-8';
      const utf8 = /^utf-?8$/i.test(codepage);
      return variable(fields[0]!, arrays, 16, withValue, (out, b, p, len) => {
        // ASCII is the same in every code page; anything else goes through the collation's decoder
        if (utf8) copyBytes(out, b, p, len);
        else if (!copyIfAscii(out, b, p, len)) writeString(out, decodeSingleByteText(b.subarray(p, p + len), codepage));
      }, 3);
    }
    case 'binary': case 'varbinary':
      return variable(fields[0]!, arrays, 16, withValue, copyBytes, 1);
    case 'text': case 'ntext': case 'xml': case 'image':
      throw new Error(`unreachable: ${t.base} is not fast-readable`);
  }
}

function variable(
  field: arrow.Field,
  arrays: BatchArrays,
  bytesPerRow: number,
  withValue: (write: ValueWriter, setNull: (row: number) => void) => CellReader['read'],
  append: (out: VariableOutput, buf: Buffer, pos: number, len: number) => void,
  /** the most output bytes per input byte */
  growth: number,
): Decoder {
  const out = new VariableOutput(field, arrays, arrays.capacity * bytesPerRow);
  const setNull = (row: number) => {
    out.validity.nulls++;
    out.end(row);
  };
  return {
    read: withValue((b, p, len, r) => {
      out.validity.set(r);
      out.ensure(len * growth + 36);
      append(out, b, p, len);
      out.end(r);
    }, setNull),
    setNull,
    start: () => out.start(),
    finish: (length) => [out.finish(length)],
  };
}

/** a little-endian integer of 1, 2, 4 bytes (IntN carries its width in the length prefix) */
function intOf(b: Buffer, p: number, len: number): number {
  return len === 4 ? b.readInt32LE(p) : len === 2 ? b.readInt16LE(p) : len === 1 ? b[p]! : Number(b.readBigInt64LE(p));
}

/** datetime2/datetimeoffset: `timeLen` bytes of time in units of 10^-scale s, then 3 bytes of days since 0001-01-01 */
function writeInstant(words: Int32Array, row: number, b: Buffer, p: number, timeLen: number, scale: number, column: string): void {
  const ticks = b.readUIntLE(p, timeLen) * POW10[7 - scale]!;
  const days = b.readUIntLE(p + timeLen, 3) - DAYS_YEAR_ONE_TO_EPOCH;
  const ticksInMs = ticks % 10_000;
  const ms = days * MS_PER_DAY + (ticks - ticksInMs) / 10_000;
  if (scale === 7) {
    checkNanosRange(ms, column);
    setInt64MulAdd(words, row, ms, 1_000_000, ticksInMs * 100);
  } else {
    setInt64MulAdd(words, row, ms, 1000, ticksInMs / 10);
  }
}

/**
 * buf[p, p + len) appended when it is all ASCII, checked while copying (one pass over the
 * cell, not a check and then a copy); false, with `out.at` unmoved, at the first other byte.
 */
function copyIfAscii(out: VariableOutput, b: Buffer, p: number, len: number): boolean {
  const bytes = out.bytes;
  let at = out.at;
  for (let i = p; i < p + len; i++) {
    const c = b[i]!;
    if (c >= 0x80) return false;
    bytes[at++] = c;
  }
  out.at = at;
  return true;
}

/** buf[p, p + len) appended as they are */
function copyBytes(out: VariableOutput, b: Buffer, p: number, len: number): void {
  if (len >= SHORT_COPY) {
    out.bytes.set(b.subarray(p, p + len), out.at);
    out.at += len;
    return;
  }
  const bytes = out.bytes;
  let at = out.at;
  for (let i = p; i < p + len; i++) bytes[at++] = b[i]!;
  out.at = at;
}

/**
 * UTF-16LE → UTF-8 bytes, by hand: no string per cell (building one and encoding it again was
 * the largest cost of reading non-ASCII nvarchar). A surrogate pair becomes one 4-byte
 * sequence; a lone surrogate becomes U+FFFD, as Buffer's own utf16le → utf8 path does. At most
 * 3 output bytes per 2 input bytes (the caller reserves that).
 */
function writeUtf8FromUtf16(out: VariableOutput, b: Buffer, p: number, len: number): void {
  const bytes = out.bytes;
  let at = out.at;
  const end = p + len - 1; // an odd trailing byte is not a code unit
  for (let i = p; i < end; i += 2) {
    let c = b[i]! | (b[i + 1]! << 8);
    if (c < 0x80) {
      bytes[at++] = c;
      continue;
    }
    if (c < 0x800) {
      bytes[at++] = 0xc0 | (c >> 6);
      bytes[at++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const low = i + 3 <= end ? b[i + 2]! | (b[i + 3]! << 8) : 0;
      if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        bytes[at++] = 0xf0 | (cp >> 18);
        bytes[at++] = 0x80 | ((cp >> 12) & 0x3f);
        bytes[at++] = 0x80 | ((cp >> 6) & 0x3f);
        bytes[at++] = 0x80 | (cp & 0x3f);
        i += 2;
        continue;
      }
      c = 0xfffd;
    }
    bytes[at++] = 0xe0 | (c >> 12);
    bytes[at++] = 0x80 | ((c >> 6) & 0x3f);
    bytes[at++] = 0x80 | (c & 0x3f);
  }
  out.at = at;
}

function writeString(out: VariableOutput, s: string): void {
  out.ensure(s.length * 3);
  out.at += Buffer.from(out.bytes.buffer, out.bytes.byteOffset, out.bytes.byteLength).write(s, out.at, 'utf8');
}
