import { sqlErrors } from '../errors';
import { refuse, toDecimal } from './convert';
import { Decimal, Temporal } from './values';
import type { TypeFamily, ValueEncoder, WireReader } from './sql-type';

/** money and smallmoney: fixed-point with 4 decimals, stored as Decimal(scale 4). */
const MONEY = 0x3c;
const SMALLMONEY = 0x7a;
const MONEYN = 0x6e;
const RANGE = {
  money: [-(2n ** 63n), 2n ** 63n - 1n],
  smallmoney: [-(2n ** 31n), 2n ** 31n - 1n],
} as const;

/** money is a 64-bit integer of 1/10000 units sent high 32 bits first, then low 32 bits. */
function writeMoney(buf: Buffer, pos: number, unscaled: bigint): number {
  const n = Number(unscaled);
  if (Number.isSafeInteger(n)) {
    const hi = Math.floor(n / 4_294_967_296);
    buf.writeInt32LE(hi, pos);
    buf.writeUInt32LE(n - hi * 4_294_967_296, pos + 4);
  } else {
    buf.writeInt32LE(Number(BigInt.asIntN(32, unscaled >> 32n)), pos);
    buf.writeUInt32LE(Number(BigInt.asUintN(32, unscaled)), pos + 4);
  }
  return pos + 8;
}

function readMoney(r: WireReader): Decimal {
  r.need(8);
  const hi = BigInt(r.buf.readInt32LE(r.pos));
  const lo = BigInt(r.buf.readUInt32LE(r.pos + 4));
  r.pos += 8;
  return new Decimal((hi << 32n) | lo, 4);
}

function readSmallMoney(r: WireReader): Decimal {
  return new Decimal(BigInt(r.i32()), 4);
}

export const moneyFamily: TypeFamily = {
  names: ['money', 'smallmoney'],
  wireIds: [MONEY, SMALLMONEY, MONEYN],
  normalize: (t) => ({ name: t.name }),
  declaration: (t) => t.name,
  coerce(value, t) {
    if (Buffer.isBuffer(value) || value instanceof Temporal) throw refuse(value, t.name);
    if (typeof value === 'string' && !Decimal.parse(value.replace(/^\s*\$/, ''))) throw sqlErrors.conversion('varchar', value, t.name);
    const d = toDecimal(typeof value === 'string' ? value.replace(/^\s*\$/, '') : value, t.name).rescale(4);
    const [lo, hi] = RANGE[t.name as 'money' | 'smallmoney'];
    if (d.unscaled < lo || d.unscaled > hi) throw sqlErrors.overflow(t.name);
    return d;
  },
  typeInfo: (t, nullable) =>
    nullable ? Buffer.from([MONEYN, t.name === 'money' ? 8 : 4]) : Buffer.from([t.name === 'money' ? MONEY : SMALLMONEY]),
  encoder(t, nullable): ValueEncoder {
    const p = nullable ? 1 : 0;
    const nullBytes = nullable ? Buffer.from([0]) : Buffer.alloc(0);
    if (t.name === 'smallmoney') {
      return { maxSize: () => 5, write: (buf, pos, v: Decimal) => { if (p) buf[pos] = 4; buf.writeInt32LE(Number(v.unscaled), pos + p); return pos + p + 4; }, nullBytes };
    }
    return { maxSize: () => 9, write: (buf, pos, v: Decimal) => { if (p) buf[pos] = 8; return writeMoney(buf, pos + p, v.unscaled); }, nullBytes };
  },
  readTypeInfo(id, r) {
    const length = id === MONEYN ? r.u8() : id === MONEY ? 8 : 4;
    return { id, length, precision: 0, scale: 4, type: { name: length === 8 ? 'money' : 'smallmoney' } };
  },
  valueReader(info) {
    if (info.id === MONEY) return readMoney;
    if (info.id === SMALLMONEY) return readSmallMoney;
    return (r) => {
      const len = r.u8();
      return len === 0 ? null : len === 8 ? readMoney(r) : readSmallMoney(r);
    };
  },
};
