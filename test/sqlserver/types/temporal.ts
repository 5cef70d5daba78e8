import { SqlError, sqlErrors } from '../errors';
import { refuse } from './convert';
import { parseTemporal, Temporal, TICKS_PER_DAY, type Value } from './values';
import type { SqlType, TypeFamily, ValueEncoder, WireReader } from './sql-type';

/**
 * date, time(n), datetime2(n), datetimeoffset(n): the TDS 7.3+ types. Time parts are sent as
 * an unsigned integer of 10^-n second units in 3, 4 or 5 bytes, dates as 3-byte day numbers
 * since 0001-01-01, offsets as signed minutes; datetimeoffset carries UTC date/time.
 */
const DATE = 0x28;
const TIME = 0x29;
const DATETIME2 = 0x2a;
const DATETIMEOFFSET = 0x2b;
const ID: Record<string, number> = { date: DATE, time: TIME, datetime2: DATETIME2, datetimeoffset: DATETIMEOFFSET };
const NAME: Record<number, SqlType['name']> = { [DATE]: 'date', [TIME]: 'time', [DATETIME2]: 'datetime2', [DATETIMEOFFSET]: 'datetimeoffset' };
const MAX_DAYS = 3_652_058; // 9999-12-31
const UNIT = [10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

/**
 * date values are immutable and repeat a lot in real data, so each day number has one shared
 * Temporal (fewer objects for the garbage collector on million-row loads).
 */
const DATES = new Map<number, Temporal>();
export function dateValue(days: number): Temporal {
  let t = DATES.get(days);
  if (!t) {
    t = new Temporal(days, 0, null);
    if (DATES.size < 1_000_000) DATES.set(days, t);
  }
  return t;
}

export const timeBytes = (scale: number) => (scale <= 2 ? 3 : scale <= 4 ? 4 : 5);

/** Little-endian unsigned integer of 3..5 bytes (values < 2^40), without writeUIntLE's checks. */
function writeUInt(buf: Buffer, pos: number, v: number, bytes: number): void {
  const lo = v % 4_294_967_296;
  buf[pos] = lo & 0xff;
  buf[pos + 1] = (lo >>> 8) & 0xff;
  buf[pos + 2] = (lo >>> 16) & 0xff;
  if (bytes > 3) buf[pos + 3] = lo >>> 24;
  if (bytes > 4) buf[pos + 4] = (v - lo) / 4_294_967_296;
}

/** Rounds a (days, ticks) pair to a fractional-second scale, carrying into the next day. */
export function roundTicks(days: number, ticks: number, scale: number): [number, number] {
  const unit = UNIT[scale];
  let t = Math.round(ticks / unit) * unit;
  if (t >= TICKS_PER_DAY) {
    t -= TICKS_PER_DAY;
    days += 1;
  }
  return [days, t];
}

/** The local (offset-applied) date/time of a value, for conversions that drop the offset. */
export function localParts(v: Temporal): [number, number] {
  if (v.offset === null) return [v.days, v.ticks];
  const local = v.shiftMinutes(v.offset);
  return [local.days, local.ticks];
}

/** Parses strings / converts other temporals; shared with the legacy datetime family. */
export function toTemporal(value: Exclude<Value, null>, to: string): Temporal {
  if (value instanceof Temporal) return value;
  if (typeof value === 'string') {
    const t = parseTemporal(value);
    if (!t) throw sqlErrors.dateConversion();
    return t;
  }
  throw refuse(value, to);
}

function checkDays(days: number): void {
  if (days < 0 || days > MAX_DAYS) throw new SqlError(517, 'Adding a value to a \'datetime2\' column caused an overflow.', 1, 16);
}

export const temporalFamily: TypeFamily = {
  names: ['date', 'time', 'datetime2', 'datetimeoffset'],
  wireIds: [DATE, TIME, DATETIME2, DATETIMEOFFSET],
  normalize(t) {
    if (t.name === 'date') return { name: 'date' };
    const scale = t.scale ?? t.precision ?? 7;
    if (scale < 0 || scale > 7) throw new SqlError(1002, `Line 1: Specified scale ${scale} is invalid.`, 1, 15, 'batch');
    return { name: t.name, scale };
  },
  declaration: (t) => (t.name === 'date' ? 'date' : `${t.name}(${t.scale})`),
  coerce(value, t) {
    const v = toTemporal(value, t.name);
    const scale = t.scale ?? 7;
    switch (t.name) {
      case 'date': {
        const [d] = localParts(v);
        checkDays(d);
        return dateValue(d);
      }
      case 'time': {
        const [, ticks] = localParts(v);
        const [, r] = roundTicks(0, ticks, scale);
        return new Temporal(0, r, null);
      }
      case 'datetime2': {
        const [d, ticks] = localParts(v);
        const [rd, rt] = roundTicks(d, ticks, scale);
        checkDays(rd);
        return new Temporal(rd, rt, null);
      }
      default: {
        // A value without offset is taken as +00:00, as SQL Server does.
        const [rd, rt] = roundTicks(v.days, v.ticks, scale);
        checkDays(rd);
        return new Temporal(rd, rt, v.offset ?? 0);
      }
    }
  },
  typeInfo: (t) => (t.name === 'date' ? Buffer.from([DATE]) : Buffer.from([ID[t.name], t.scale!])),
  encoder(t): ValueEncoder {
    const nullBytes = Buffer.from([0]);
    if (t.name === 'date') {
      return { maxSize: () => 4, write: (buf, pos, v: Temporal) => { buf[pos] = 3; writeUInt(buf, pos + 1, v.days, 3); return pos + 4; }, nullBytes };
    }
    const scale = t.scale!;
    const tb = timeBytes(scale);
    const unit = UNIT[scale];
    if (t.name === 'time') {
      return { maxSize: () => tb + 1, write: (buf, pos, v: Temporal) => { buf[pos] = tb; writeUInt(buf, pos + 1, v.ticks / unit, tb); return pos + 1 + tb; }, nullBytes };
    }
    if (t.name === 'datetime2') {
      return {
        maxSize: () => tb + 4,
        write: (buf, pos, v: Temporal) => {
          buf[pos] = tb + 3;
          writeUInt(buf, pos + 1, v.ticks / unit, tb);
          writeUInt(buf, pos + 1 + tb, v.days, 3);
          return pos + 4 + tb;
        },
        nullBytes,
      };
    }
    return {
      maxSize: () => tb + 6,
      write: (buf, pos, v: Temporal) => {
        buf[pos] = tb + 5;
        writeUInt(buf, pos + 1, v.ticks / unit, tb);
        writeUInt(buf, pos + 1 + tb, v.days, 3);
        buf.writeInt16LE(v.offset ?? 0, pos + 4 + tb);
        return pos + 6 + tb;
      },
      nullBytes,
    };
  },
  readTypeInfo(id, r) {
    const scale = id === DATE ? 0 : r.u8();
    if (scale > 7) throw sqlErrors.unsupportedType(`Invalid scale ${scale}.`);
    const type: SqlType = id === DATE ? { name: 'date' } : { name: NAME[id], scale };
    return { id, length: 0, precision: 0, scale, type };
  },
  valueReader(info) {
    const unit = UNIT[info.scale];
    const readTime = (r: WireReader, len: number) => {
      r.need(len);
      const v = r.buf.readUIntLE(r.pos, len) * unit;
      r.pos += len;
      return v;
    };
    const readDate = (r: WireReader) => {
      r.need(3);
      const v = r.buf.readUIntLE(r.pos, 3);
      r.pos += 3;
      return v;
    };
    switch (info.id) {
      case DATE:
        return (r) => (r.u8() === 0 ? null : dateValue(readDate(r)));
      case TIME:
        return (r) => {
          const len = r.u8();
          return len === 0 ? null : new Temporal(0, readTime(r, len), null);
        };
      case DATETIME2:
        return (r) => {
          const len = r.u8();
          if (len === 0) return null;
          const ticks = readTime(r, len - 3);
          return new Temporal(readDate(r), ticks, null);
        };
      default:
        return (r) => {
          const len = r.u8();
          if (len === 0) return null;
          const ticks = readTime(r, len - 5);
          const days = readDate(r);
          r.need(2);
          const offset = r.buf.readInt16LE(r.pos);
          r.pos += 2;
          return new Temporal(days, ticks, offset);
        };
    }
  },
};
