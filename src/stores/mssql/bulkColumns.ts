/**
 * Arrow columns → TDS bulk-load cells, written straight from Arrow's buffers.
 *
 * Each bulk column pairs the tedious type that declares it (INSERT BULK column list and
 * COLMETADATA TYPE_INFO) with a writer that encodes one cell (length prefix and value, or
 * NULL) of the bound record batch into a TdsBuffer. Handing tedious JS values instead would
 * mean one Date, string or number object per cell and, for decimals and datetime2(7), a lossy
 * trip through a JS number or Date. Exact for every type in the map, and cheaper.
 */
import * as arrow from 'apache-arrow';
import { TYPES } from 'tedious';
import { OFFSET_OF_METADATA_KEY } from '../../arrow/arrowTypeMap';
import { readDecimal128 } from '../../arrow/decimal128';
import type { SqlType } from '../../arrow/sqlType';
import { HyggeError } from '../../errors';
import type { TdsBuffer } from './tdsBuffer';

type Writer = (buffer: TdsBuffer, row: number) => void;

/** the collation a varchar column's bytes are encoded in (tedious's Collation) */
export type Collation = { codepage?: string } | undefined;

export interface BulkColumn {
  name: string;
  sqlType: SqlType;
  /** tedious's addColumn arguments */
  type: unknown;
  options: { nullable: boolean; length?: number; precision?: number; scale?: number };
  /** points the writer at one record batch's data for this column */
  bind(batch: arrow.RecordBatch, collation: Collation): void;
  /** encodes the cell of `row` (NULL included) */
  write(buffer: TdsBuffer, row: number): void;
}

const PLP_NULL = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
const PLP_UNKNOWN_LENGTH = Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
const DAYS_FROM_YEAR_ONE_TO_EPOCH = 719_162;
const DAYS_FROM_1900_TO_EPOCH = 25_567;
const NS_PER_DAY = 86_400_000_000_000n;
const US_PER_DAY = 86_400_000_000n;

export function bulkColumnsFor(schema: arrow.Schema, sqlTypes: SqlType[]): BulkColumn[] {
  const columns: BulkColumn[] = [];
  schema.fields.forEach((field, index) => {
    if (field.metadata.has(OFFSET_OF_METADATA_KEY)) return; // written together with its datetimeoffset column
    const offsetIndex = schema.fields.findIndex((f) => f.metadata.get(OFFSET_OF_METADATA_KEY) === field.name);
    columns.push(bulkColumn(field, index, offsetIndex, sqlTypes[index]!));
  });
  return columns;
}

function bulkColumn(field: arrow.Field, index: number, offsetIndex: number, t: SqlType): BulkColumn {
  let data: arrow.Data = undefined as never;
  let offsets: arrow.Data<arrow.Int16> | undefined;
  let hasNulls = false;
  let collation: Collation;
  let vector: arrow.Vector | undefined;
  const vectorOf = () => (vector ??= arrow.makeVector(data));
  const { tediousType, options, write } = writerFor(field, t, () => data, () => offsets, vectorOf, () => collation);
  return {
    name: field.name,
    sqlType: t,
    type: tediousType,
    options: { nullable: true, ...options },
    bind(batch, batchCollation) {
      data = batch.data.children[index]!;
      vector = undefined;
      hasNulls = data.nullCount !== 0;
      collation = batchCollation;
      offsets = offsetIndex >= 0 ? (batch.data.children[offsetIndex] as arrow.Data<arrow.Int16>) : undefined;
    },
    write(buffer, row) {
      if (hasNulls && !data.getValid(row)) writeNull(buffer, t, options.length);
      else write(buffer, row);
    },
  };
}

function writeNull(buffer: TdsBuffer, t: SqlType, length: number | undefined): void {
  switch (t.base) {
    case 'char': case 'varchar': case 'nchar': case 'nvarchar': case 'binary': case 'varbinary':
      if (length === undefined || length > 8000 || ((t.base === 'nchar' || t.base === 'nvarchar') && length > 4000)) buffer.writeBuffer(PLP_NULL);
      else buffer.writeUInt16LE(0xffff);
      return;
    default:
      buffer.writeUInt8(0);
  }
}

interface WriterSpec {
  tediousType: unknown;
  options: { length?: number; precision?: number; scale?: number };
  write: Writer;
}

function writerFor(
  field: arrow.Field,
  t: SqlType,
  data: () => arrow.Data,
  offsets: () => arrow.Data<arrow.Int16> | undefined,
  vector: () => arrow.Vector,
  collation: () => Collation,
): WriterSpec {
  const type = field.type as arrow.DataType;
  const values = () => data().values as ArrayLike<number> & ArrayLike<bigint>;
  const fail = (): never => {
    throw new HyggeError('SCHEMA_MISMATCH', `column "${field.name}" (${String(type)}) cannot be written as ${t.base}`, {
      hint: 'Give the column a type that matches its values, or drop its hygge.sql_type metadata.',
    });
  };
  switch (t.base) {
    case 'tinyint': case 'smallint': case 'int': case 'bigint': {
      const width = t.base === 'tinyint' ? 1 : t.base === 'smallint' ? 2 : t.base === 'int' ? 4 : 8;
      const tediousType = { tinyint: TYPES.TinyInt, smallint: TYPES.SmallInt, int: TYPES.Int, bigint: TYPES.BigInt }[t.base];
      if (!arrow.DataType.isInt(type)) fail();
      const big = (type as arrow.Int).bitWidth === 64;
      const bytes = bytesOf(data);
      return {
        tediousType,
        options: {},
        write: (b, row) => {
          if (width === 8 && big) {
            // little-endian int64 as Arrow holds it: no BigInt per cell
            b.writeUInt8(8);
            b.writeBytes8(bytes(), row * 8);
            return;
          }
          const v = values()[row]!;
          b.writeUInt8(width);
          if (width === 8) {
            // a ≤ 32-bit source as int64: the low word, then the sign extension
            const n = v as number;
            b.writeUInt32LE(n >>> 0);
            b.writeInt32LE(n < 0 ? -1 : 0);
          } else if (width === 4) b.writeInt32LE(Number(v));
          else if (width === 2) b.writeInt16LE(Number(v));
          else b.writeUInt8(Number(v));
        },
      };
    }
    case 'bit':
      if (!arrow.DataType.isBool(type)) fail();
      // straight from the validity-style bitmap (Bool data keeps its offset, unlike numeric values)
      return { tediousType: TYPES.Bit, options: {}, write: (b, row) => {
        const d = data();
        const at = d.offset + row;
        b.writeUInt8(1);
        b.writeUInt8(((d.values as Uint8Array)[at >> 3]! >> (at & 7)) & 1);
      } };
    case 'real': case 'float':
      if (!arrow.DataType.isFloat(type)) fail();
      return t.base === 'real'
        ? { tediousType: TYPES.Real, options: {}, write: (b, row) => { b.writeUInt8(4); b.writeFloatLE(values()[row] as number); } }
        : { tediousType: TYPES.Float, options: {}, write: (b, row) => { b.writeUInt8(8); b.writeDoubleLE(values()[row] as number); } };
    case 'decimal': case 'numeric': case 'money': case 'smallmoney': {
      if (!arrow.DataType.isDecimal(type)) fail();
      if (t.base === 'money' || t.base === 'smallmoney') {
        const small = t.base === 'smallmoney';
        return {
          tediousType: small ? TYPES.SmallMoney : TYPES.Money,
          options: {},
          write: (b, row) => {
            const v = readDecimal128(values() as unknown as Uint32Array, row);
            if (small) { b.writeUInt8(4); b.writeInt32LE(Number(v)); return; }
            b.writeUInt8(8);
            b.writeInt32LE(Number(BigInt.asIntN(32, v >> 32n)));
            b.writeUInt32LE(Number(BigInt.asUintN(32, v)));
          },
        };
      }
      const precision = t.precision ?? 18;
      const scale = t.scale ?? 0;
      const magnitudeBytes = precision <= 9 ? 4 : precision <= 19 ? 8 : precision <= 28 ? 12 : 16;
      return {
        tediousType: t.base === 'numeric' ? TYPES.Numeric : TYPES.Decimal,
        options: { precision, scale },
        write: (b, row) => {
          const words = values() as unknown as Uint32Array;
          const at = row * 4;
          const negative = (words[at + 3]! & 0x80000000) !== 0;
          b.writeUInt8(magnitudeBytes + 1);
          b.writeUInt8(negative ? 0 : 1);
          if (!negative) {
            for (let i = 0; i < magnitudeBytes / 4; i++) b.writeUInt32LE(words[at + i]!);
            return;
          }
          let m = -readDecimal128(words, row);
          for (let i = 0; i < magnitudeBytes / 4; i++) {
            b.writeUInt32LE(Number(m & 0xffffffffn));
            m >>= 32n;
          }
        },
      };
    }
    case 'date': {
      if (!arrow.DataType.isDate(type)) fail();
      const msUnit = (type as arrow.Date_).unit === arrow.DateUnit.MILLISECOND;
      return {
        tediousType: TYPES.Date,
        options: {},
        write: (b, row) => {
          const v = values()[row]!;
          const days = msUnit ? Math.floor(Number(v) / 86_400_000) : Number(v);
          b.writeUInt8(3);
          b.writeUInt24LE(days + DAYS_FROM_YEAR_ONE_TO_EPOCH);
        },
      };
    }
    case 'time': case 'datetime2': case 'datetimeoffset': case 'datetime': case 'smalldatetime': {
      const toTicks = ticksReader(field, type, values) ?? fail();
      if (t.base === 'datetime' || t.base === 'smalldatetime') {
        return {
          tediousType: TYPES.DateTime,
          options: {},
          write: (b, row) => {
            const ticks = toTicks(row);
            const dayTicks = 864_000_000_000n;
            let days = ticks / dayTicks;
            let rest = ticks % dayTicks;
            if (rest < 0n) { rest += dayTicks; days -= 1n; }
            let threeHundredths = Math.round((Number(rest) / 10_000) * 0.3);
            let d = Number(days) + DAYS_FROM_1900_TO_EPOCH;
            if (threeHundredths >= 25_920_000) { threeHundredths = 0; d += 1; }
            b.writeUInt8(8);
            b.writeInt32LE(d);
            b.writeUInt32LE(threeHundredths);
          },
        };
      }
      const scale = t.scale ?? 7;
      const divisor = 10n ** BigInt(7 - scale);
      const timeBytes = scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
      const dayTicks = 864_000_000_000n;
      const tediousType = t.base === 'time' ? TYPES.Time : t.base === 'datetime2' ? TYPES.DateTime2 : TYPES.DateTimeOffset;
      const withDate = t.base !== 'time';
      const withOffset = t.base === 'datetimeoffset';
      const split = daySplitter(field, type, data);
      const divisorNumber = Number(divisor);
      const cell: DaySplit = { days: 0, ticks: 0 };
      return {
        tediousType,
        options: { scale },
        write: (b, row) => {
          if (split) split(row, cell);
          else {
            const utcTicks = toTicks(row);
            let days = utcTicks / dayTicks;
            let rest = utcTicks % dayTicks;
            if (rest < 0n) { rest += dayTicks; days -= 1n; }
            cell.days = Number(days);
            cell.ticks = Number(rest);
          }
          const offsetMinutes = withOffset ? (offsets()?.values[row] ?? 0) : 0;
          // datetimeoffset is sent as UTC date and time plus the offset
          const days = cell.days;
          const timeValue = Math.floor(cell.ticks / divisorNumber);
          b.writeUInt8(timeBytes + (withDate ? 3 : 0) + (withOffset ? 2 : 0));
          if (timeBytes === 3) { b.writeUInt16LE(timeValue & 0xffff); b.writeUInt8(Math.floor(timeValue / 0x10000)); }
          else if (timeBytes === 4) b.writeUInt32LE(timeValue);
          else b.writeUInt40LE(timeValue);
          if (withDate) b.writeUInt24LE(days + DAYS_FROM_YEAR_ONE_TO_EPOCH);
          if (withOffset) b.writeInt16LE(offsetMinutes);
        },
      };
    }
    case 'nchar': case 'nvarchar': case 'ntext': case 'xml': case 'char': case 'varchar': case 'text': case 'uniqueidentifier': {
      if (!(arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) || arrow.DataType.isDictionary(type))) fail();
      const plain = arrow.DataType.isUtf8(type);
      const text = (row: number): string => {
        if (!plain) return String(vector().get(row));
        const d = data() as arrow.Data<arrow.Utf8>;
        const bytes = d.values;
        const start = d.valueOffsets[row]!;
        const end = d.valueOffsets[row + 1]!;
        return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
      };
      if (t.base === 'uniqueidentifier') {
        const guid = new Uint8Array(16);
        return { tediousType: TYPES.UniqueIdentifier, options: {}, write: (b, row) => {
          if (plain) {
            const d = data() as arrow.Data<arrow.Utf8>;
            const start = d.valueOffsets[row]!;
            guidBytes(d.values, start, d.valueOffsets[row + 1]! - start, guid, field.name);
          } else {
            const bytes = Buffer.from(text(row), 'utf8');
            guidBytes(bytes, 0, bytes.length, guid, field.name);
          }
          b.writeUInt8(16);
          b.writeBuffer(guid);
        } };
      }
      if (t.base === 'char' || t.base === 'varchar' || t.base === 'text') {
        const length = t.length === 'max' || t.length === undefined || t.base === 'text' ? Infinity : t.length;
        const plp = !(length <= 8000);
        const tediousType = t.base === 'char' ? TYPES.Char : TYPES.VarChar;
        const encode = (tediousType as unknown as { validate(v: string, c: Collation): Buffer }).validate.bind(tediousType);
        return { tediousType, options: { length }, write: (b, row) => {
          // ASCII text is the same bytes in UTF-8 and in every code page SQL Server collations
          // use (checked against iconv-lite's tables), so it is copied without a string
          if (plain && collation()?.codepage) {
            const d = data() as arrow.Data<arrow.Utf8>;
            const from = d.valueOffsets[row]!;
            const to = d.valueOffsets[row + 1]!;
            const at = b.length;
            if (!plp) {
              b.writeUInt16LE(to - from);
              if (b.writeAscii(d.values, from, to)) return;
            } else {
              b.writeBuffer(PLP_UNKNOWN_LENGTH);
              if (to > from) b.writeUInt32LE(to - from);
              if (b.writeAscii(d.values, from, to)) { b.writeUInt32LE(0); return; }
            }
            b.length = at;
          }
          // other text: tedious's encoder knows the collation's code page
          const bytes = encode(text(row), collation());
          if (!plp) { b.writeUInt16LE(bytes.length); b.writeBuffer(bytes); return; }
          b.writeBuffer(PLP_UNKNOWN_LENGTH);
          if (bytes.length > 0) { b.writeUInt32LE(bytes.length); b.writeBuffer(bytes); }
          b.writeUInt32LE(0);
        } };
      }
      const chars = t.length === 'max' || t.length === undefined || t.base === 'ntext' || t.base === 'xml' ? Infinity : t.length;
      const plp = !(chars <= 4000);
      return {
        tediousType: t.base === 'nchar' ? TYPES.NChar : TYPES.NVarChar,
        options: { length: chars },
        write: (b, row) => {
          if (plain) {
            // UTF-8 → UTF-16LE straight into the buffer, the length prefix filled in after
            const d = data() as arrow.Data<arrow.Utf8>;
            const from = d.valueOffsets[row]!;
            const to = d.valueOffsets[row + 1]!;
            const at = b.length;
            if (!plp) {
              b.writeUInt16LE(0);
              const n = b.writeUtf16FromUtf8(d.values, from, to);
              if (n >= 0) { b.patchUInt16LE(at, n); return; }
            } else {
              b.writeBuffer(PLP_UNKNOWN_LENGTH);
              b.writeUInt32LE(0);
              const n = b.writeUtf16FromUtf8(d.values, from, to);
              if (n > 0) { b.patchUInt32LE(at + 8, n); b.writeUInt32LE(0); return; }
              // an empty value has no chunk: the 4 bytes reserved for its length are the terminator
              if (n === 0) return;
            }
            b.length = at; // not well-formed UTF-8: the string path below replaces bad sequences
          }
          const s = text(row);
          const bytes = s.length * 2;
          if (!plp) { b.writeUInt16LE(bytes); b.writeUcs2(s); return; }
          b.writeBuffer(PLP_UNKNOWN_LENGTH);
          if (bytes > 0) { b.writeUInt32LE(bytes); b.writeUcs2(s); }
          b.writeUInt32LE(0);
        },
      };
    }
    case 'binary': case 'varbinary': case 'image': {
      if (!(arrow.DataType.isBinary(type) || arrow.DataType.isFixedSizeBinary(type) || arrow.DataType.isLargeBinary(type))) fail();
      const length = t.length === 'max' || t.length === undefined || t.base === 'image' ? Infinity : t.length;
      const plp = !(length <= 8000);
      return {
        tediousType: t.base === 'binary' ? TYPES.Binary : TYPES.VarBinary,
        options: { length },
        write: (b, row) => {
          const v = vector().get(row) as Uint8Array;
          const buf = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
          if (!plp) { b.writeUInt16LE(buf.length); b.writeBuffer(buf); return; }
          b.writeBuffer(PLP_UNKNOWN_LENGTH);
          if (buf.length > 0) { b.writeUInt32LE(buf.length); b.writeBuffer(buf); }
          b.writeUInt32LE(0);
        },
      };
    }
  }
}

/** The bytes under a column's values, remade only when the bound batch changes. */
function bytesOf(data: () => arrow.Data): () => Uint8Array {
  let of: arrow.Data | undefined;
  let bytes: Uint8Array = new Uint8Array(0);
  return () => {
    const d = data();
    if (d !== of) {
      const v = d.values as ArrayBufferView;
      bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      of = d;
    }
    return bytes;
  };
}

/** byte i of a GUID's TDS form comes from hex pair GUID_PAIRS[i] of its text: the first three groups are little-endian */
const GUID_PAIRS = [6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34];

/**
 * A GUID's text as its 16 TDS bytes, written into `out`. Read from the UTF-8 bytes by hand: a
 * regex, a hex Buffer and an array per value were a tenth of a whole load's CPU.
 */
function guidBytes(text: Uint8Array, at: number, length: number, out: Uint8Array, column: string): void {
  let ok = length === 36 && text[at + 8] === 0x2d && text[at + 13] === 0x2d && text[at + 18] === 0x2d && text[at + 23] === 0x2d;
  for (let i = 0; ok && i < 16; i++) {
    const hi = hexValue(text[at + GUID_PAIRS[i]!]!);
    const lo = hexValue(text[at + GUID_PAIRS[i]! + 1]!);
    ok = hi >= 0 && lo >= 0;
    out[i] = (hi << 4) | lo;
  }
  if (!ok) {
    const shown = Buffer.from(text.buffer, text.byteOffset + at, length).toString('utf8');
    throw new HyggeError('SCHEMA_MISMATCH', `column "${column}" holds ${JSON.stringify(shown)}, which is not a uniqueidentifier`, {
      hint: 'Give the column GUID text (8-4-4-4-12 hex digits), or drop its hygge.sql_type metadata.',
    });
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

interface DaySplit {
  /** whole days since 1970-01-01 (floor) */
  days: number;
  /** 100 ns ticks into that day */
  ticks: number;
}

/**
 * For ns and µs timestamps: a cell as days since the epoch and 100 ns ticks into the day,
 * from the int64's two 32-bit words with exact double arithmetic. The BigInt path
 * (ticksReader) cost five BigInt operations per cell. A day is 2^k · D units (ns: k = 14,
 * D = 5,273,437,500; µs: k = 11, D = 42,187,500), so v >> k (below 2^53) is divided by D and
 * the k low bits put back into the remainder.
 */
function daySplitter(field: arrow.Field, type: arrow.DataType, data: () => arrow.Data): ((row: number, out: DaySplit) => void) | undefined {
  if (!arrow.DataType.isTimestamp(type)) return undefined;
  const nano = type.unit === arrow.TimeUnit.NANOSECOND;
  if (!nano && type.unit !== arrow.TimeUnit.MICROSECOND) return undefined;
  const k = nano ? 14 : 11;
  const D = nano ? 5_273_437_500 : 42_187_500;
  const highScale = 2 ** (32 - k);
  const lowScale = 2 ** k;
  const lowMask = lowScale - 1;
  let of: arrow.Data | undefined;
  let words: Int32Array = new Int32Array(0);
  return (row, out) => {
    const d = data();
    if (d !== of) {
      const v = d.values as BigInt64Array;
      words = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
      of = d;
    }
    const lo = words[row * 2]! >>> 0; // little-endian, as Arrow stores it
    const hi = words[row * 2 + 1]!;
    const w = hi * highScale + (lo >>> k);
    let days = Math.floor(w / D);
    let rem = w - days * D;
    if (rem < 0) { days -= 1; rem += D; } else if (rem >= D) { days += 1; rem -= D; }
    const units = rem * lowScale + (lo & lowMask);
    if (nano) {
      if (units % 100 !== 0) throw precisionLoss(field, (d.values as BigInt64Array)[row]!);
      out.ticks = units / 100;
    } else {
      out.ticks = units * 10;
    }
    out.days = days;
  };
}

/** A reader of 100 ns ticks since the epoch (UTC) from a temporal Arrow column. */
function ticksReader(field: arrow.Field, type: arrow.DataType, values: () => ArrayLike<number> & ArrayLike<bigint>): ((row: number) => bigint) | undefined {
  if (arrow.DataType.isTimestamp(type) || arrow.DataType.isTime(type)) {
    const unit = type.unit;
    const big = arrow.DataType.isTimestamp(type) || type.bitWidth === 64;
    const toBig = (row: number) => (big ? (values()[row] as bigint) : BigInt(values()[row] as number));
    switch (unit) {
      case arrow.TimeUnit.NANOSECOND: {
        return (row) => {
          const ns = toBig(row);
          if (ns % 100n !== 0n) throw precisionLoss(field, ns);
          return ns / 100n;
        };
      }
      case arrow.TimeUnit.MICROSECOND: return (row) => toBig(row) * 10n;
      case arrow.TimeUnit.MILLISECOND: return (row) => toBig(row) * 10_000n;
      case arrow.TimeUnit.SECOND: return (row) => toBig(row) * 10_000_000n;
    }
  }
  if (arrow.DataType.isDate(type)) {
    const ms = type.unit === arrow.DateUnit.MILLISECOND;
    return (row) => (ms ? BigInt(values()[row] as number) * 10_000n : BigInt(values()[row] as number) * 864_000_000_000n);
  }
  void NS_PER_DAY; void US_PER_DAY;
  return undefined;
}

function precisionLoss(field: arrow.Field, ns: bigint): HyggeError {
  return new HyggeError('SCHEMA_MISMATCH', `column "${field.name}" holds ${ns} ns, finer than SQL Server's 100 ns`, {
    hint: 'Round the values to 100 ns (or coarser) before loading them.',
  });
}
