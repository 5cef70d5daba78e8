import { SqlError } from '../errors';
import { localParts, toTemporal } from './temporal';
import { DATETIME_EPOCH_DAYS, Temporal, TICKS_PER_DAY, daysFromCivil } from './values';
import type { TypeFamily, ValueEncoder, WireReader } from './sql-type';

/**
 * datetime (days since 1900-01-01 + 1/300 s ticks) and smalldatetime (days + minutes).
 * DATETIM4/DATETIME for NOT NULL columns, DATETIMN for nullable ones. Values keep the
 * 1/300 s resolution as fractional 100ns ticks so they encode back to the same bytes.
 */
const SMALLDATETIME = 0x3a;
const DATETIME = 0x3d;
const DATETIMN = 0x6f;
const TICKS_PER_300TH = 100_000 / 3;
const TICKS_PER_MINUTE = 600_000_000;
const DATETIME_MIN_DAYS = daysFromCivil(1753, 1, 1);
const SMALL_MAX_DAYS = daysFromCivil(2079, 6, 6);

const overflow = (name: string) =>
  new SqlError(242, `The conversion of a varchar data type to a ${name} data type resulted in an out-of-range value.`, 3, 16);

function readDatetime(r: WireReader): Temporal {
  r.need(8);
  const days = r.buf.readInt32LE(r.pos) + DATETIME_EPOCH_DAYS;
  const t300 = r.buf.readUInt32LE(r.pos + 4);
  r.pos += 8;
  return new Temporal(days, t300 * TICKS_PER_300TH, null);
}

function readSmall(r: WireReader): Temporal {
  r.need(4);
  const days = r.buf.readUInt16LE(r.pos) + DATETIME_EPOCH_DAYS;
  const minutes = r.buf.readUInt16LE(r.pos + 2);
  r.pos += 4;
  return new Temporal(days, minutes * TICKS_PER_MINUTE, null);
}

export const datetimeFamily: TypeFamily = {
  names: ['datetime', 'smalldatetime'],
  wireIds: [SMALLDATETIME, DATETIME, DATETIMN],
  normalize: (t) => ({ name: t.name }),
  declaration: (t) => t.name,
  coerce(value, t) {
    let [days, ticks] = localParts(toTemporal(value, t.name));
    if (t.name === 'datetime') {
      let t300 = Math.round((ticks * 3) / 100_000);
      if (t300 >= 25_920_000) {
        t300 -= 25_920_000;
        days += 1;
      }
      if (days < DATETIME_MIN_DAYS || days > 3_652_058) throw overflow('datetime');
      return new Temporal(days, t300 * TICKS_PER_300TH, null);
    }
    let minutes = Math.round(ticks / TICKS_PER_MINUTE);
    if (minutes >= 1440) {
      minutes -= 1440;
      days += 1;
    }
    if (days < DATETIME_EPOCH_DAYS || days > SMALL_MAX_DAYS) throw overflow('smalldatetime');
    return new Temporal(days, minutes * TICKS_PER_MINUTE, null);
  },
  typeInfo: (t, nullable) =>
    nullable ? Buffer.from([DATETIMN, t.name === 'datetime' ? 8 : 4]) : Buffer.from([t.name === 'datetime' ? DATETIME : SMALLDATETIME]),
  encoder(t, nullable): ValueEncoder {
    const p = nullable ? 1 : 0;
    const nullBytes = nullable ? Buffer.from([0]) : Buffer.alloc(0);
    if (t.name === 'datetime') {
      return {
        maxSize: () => 9,
        write: (buf, pos, v: Temporal) => {
          if (p) buf[pos] = 8;
          buf.writeInt32LE(v.days - DATETIME_EPOCH_DAYS, pos + p);
          buf.writeUInt32LE(Math.round((v.ticks * 3) / 100_000), pos + p + 4);
          return pos + p + 8;
        },
        nullBytes,
      };
    }
    return {
      maxSize: () => 5,
      write: (buf, pos, v: Temporal) => {
        if (p) buf[pos] = 4;
        buf.writeUInt16LE(v.days - DATETIME_EPOCH_DAYS, pos + p);
        buf.writeUInt16LE(Math.round(v.ticks / TICKS_PER_MINUTE), pos + p + 2);
        return pos + p + 4;
      },
      nullBytes,
    };
  },
  readTypeInfo(id, r) {
    const length = id === DATETIMN ? r.u8() : id === DATETIME ? 8 : 4;
    return { id, length, precision: 0, scale: 3, type: { name: length === 8 ? 'datetime' : 'smalldatetime' } };
  },
  valueReader(info) {
    if (info.id === DATETIME) return readDatetime;
    if (info.id === SMALLDATETIME) return readSmall;
    return (r) => {
      const len = r.u8();
      return len === 0 ? null : len === 8 ? readDatetime(r) : readSmall(r);
    };
  },
};

export { TICKS_PER_DAY };
