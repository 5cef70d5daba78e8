/**
 * Lossless in-memory representations of SQL values. Every stored value is one of:
 *  null | number (tinyint..int, real, float) | bigint (bigint) | boolean (bit) | string (char
 *  family, uniqueidentifier as upper-case canonical text) | Buffer (binary family) |
 *  Decimal (decimal, numeric, money, smallmoney) | Temporal (all date/time types).
 * Keeping decimals as scaled bigints and times as 100ns ticks means round trips are exact.
 */

/** A fixed-point number: `unscaled / 10^scale`. */
export class Decimal {
  constructor(readonly unscaled: bigint, readonly scale: number) {}

  /** Re-expresses the value at another scale, rounding half away from zero as SQL Server does. */
  rescale(scale: number): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * POW10[scale - this.scale], scale);
    const div = POW10[this.scale - scale];
    const neg = this.unscaled < 0n;
    const abs = neg ? -this.unscaled : this.unscaled;
    let q = abs / div;
    if ((abs % div) * 2n >= div) q += 1n;
    return new Decimal(neg ? -q : q, scale);
  }

  /** Number of significant digits left of the decimal point (for precision checks). */
  integerDigits(): number {
    const abs = this.unscaled < 0n ? -this.unscaled : this.unscaled;
    const whole = abs / POW10[this.scale];
    return whole === 0n ? 0 : whole.toString().length;
  }

  toNumber(): number {
    return Number(this.toString());
  }

  toString(): string {
    const neg = this.unscaled < 0n;
    let digits = (neg ? -this.unscaled : this.unscaled).toString();
    if (this.scale === 0) return (neg ? '-' : '') + digits;
    digits = digits.padStart(this.scale + 1, '0');
    return `${neg ? '-' : ''}${digits.slice(0, -this.scale)}.${digits.slice(-this.scale)}`;
  }

  static parse(text: string): Decimal | undefined {
    const m = /^\s*([+-])?(\d*)(?:\.(\d*))?\s*$/.exec(text);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
    const frac = m[3] ?? '';
    const unscaled = BigInt((m[2] || '0') + frac);
    return new Decimal(m[1] === '-' ? -unscaled : unscaled, frac.length);
  }

  static fromNumber(n: number, scale: number): Decimal {
    // Go through the shortest decimal text of the double so 0.1 stays 0.1.
    const parsed = Decimal.parse(toPlainString(n));
    if (!parsed) throw new RangeError(`not a finite number: ${n}`);
    return parsed.rescale(scale);
  }
}

export const POW10: bigint[] = Array.from({ length: 80 }, (_, i) => 10n ** BigInt(i));

/** Writes a double without exponent notation (1e21 -> "1000000000000000000000"). */
export function toPlainString(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/i.exec(s);
  if (!m) return s;
  const digits = m[2] + (m[3] ?? '');
  const exp = Number(m[4]);
  if (exp >= 0) return m[1] + digits.padEnd(exp + 1, '0');
  return `${m[1]}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/**
 * Any date/time value. `days` counts from 0001-01-01 and `ticks` are 100ns units since
 * midnight; for datetimeoffset they are UTC (as on the wire) and `offset` holds minutes.
 * `datetime` keeps its 1/300s resolution as fractional ticks so it re-encodes exactly.
 */
export class Temporal {
  constructor(readonly days: number, readonly ticks: number, readonly offset: number | null = null) {}

  /** Orders two values on one timeline (UTC for offsets); days and ticks are compared
   * separately because days * ticks-per-day exceeds double precision. */
  compare(other: Temporal): number {
    if (this.days !== other.days) return this.days < other.days ? -1 : 1;
    return this.ticks < other.ticks ? -1 : this.ticks > other.ticks ? 1 : 0;
  }

  /** Shifts by a number of minutes, carrying whole days (ticks stay small and exact). */
  shiftMinutes(minutes: number): Temporal {
    let ticks = this.ticks + minutes * 600_000_000;
    const carry = Math.floor(ticks / TICKS_PER_DAY);
    ticks -= carry * TICKS_PER_DAY;
    return new Temporal(this.days + carry, ticks, this.offset);
  }
}

export const TICKS_PER_DAY = 864_000_000_000;
export const TICKS_PER_MS = 10_000;
/** Days from 0001-01-01 to 1970-01-01. */
export const UNIX_EPOCH_DAYS = 719_162;
/** Days from 0001-01-01 to 1900-01-01 (the epoch of datetime and smalldatetime). */
export const DATETIME_EPOCH_DAYS = 693_595;

export type Value = null | number | bigint | boolean | string | Buffer | Decimal | Temporal;

export function daysFromCivil(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.floor(d.getTime() / 86_400_000) + UNIX_EPOCH_DAYS;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const d = new Date((days - UNIX_EPOCH_DAYS) * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function temporalFromDate(date: Date, nanosecondDelta = 0): Temporal {
  const ms = date.getTime();
  const days = Math.floor(ms / 86_400_000);
  const msOfDay = ms - days * 86_400_000;
  return new Temporal(days + UNIX_EPOCH_DAYS, msOfDay * TICKS_PER_MS + Math.round(nanosecondDelta * 1e7));
}

const TEMPORAL_TEXT =
  /^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})(\d{2})(\d{2}))?(?:[T ]?\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:\d{2})?\s*$/i;

/** Parses the ISO-like literal forms SQL Server accepts for date/time types. */
export function parseTemporal(text: string): Temporal | undefined {
  const m = TEMPORAL_TEXT.exec(text);
  if (!m) return undefined;
  const hasDate = m[1] !== undefined || m[4] !== undefined;
  const hasTime = m[7] !== undefined;
  if (!hasDate && !hasTime) return undefined;
  let days = 0;
  if (hasDate) {
    const year = Number(m[1] ?? m[4]);
    const month = Number(m[2] ?? m[5]);
    const day = Number(m[3] ?? m[6]);
    if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1) return undefined;
    days = daysFromCivil(year, month, day);
    if (civilFromDays(days).day !== day) return undefined;
  } else {
    days = DATETIME_EPOCH_DAYS; // time-only strings mean 1900-01-01 like SQL Server
  }
  let ticks = 0;
  if (hasTime) {
    const h = Number(m[7]);
    const min = Number(m[8]);
    const s = Number(m[9] ?? 0);
    if (h > 23 || min > 59 || s > 59) return undefined;
    ticks = ((h * 60 + min) * 60 + s) * 10_000_000 + Number((m[10] ?? '').padEnd(7, '0') || 0);
  }
  let offset: number | null = null;
  if (m[11] !== undefined) {
    offset = m[11].toUpperCase() === 'Z' ? 0 : (m[11][0] === '-' ? -1 : 1) * (Number(m[11].slice(1, 3)) * 60 + Number(m[11].slice(4, 6)));
    // Stored as UTC, like the wire format.
    const utc = new Temporal(days, ticks, offset).shiftMinutes(-offset);
    return new Temporal(utc.days, utc.ticks, offset);
  }
  return new Temporal(days, ticks, null);
}

export function formatTemporal(t: Temporal, withDate = true, withTime = true, fractionDigits = 7): string {
  let days = t.days;
  let ticks = t.ticks;
  if (t.offset !== null) {
    const local = t.shiftMinutes(t.offset);
    days = local.days;
    ticks = local.ticks;
  }
  const parts: string[] = [];
  if (withDate) {
    const c = civilFromDays(days);
    parts.push(`${String(c.year).padStart(4, '0')}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`);
  }
  if (withTime) {
    const whole = Math.round(ticks);
    const secs = Math.floor(whole / 10_000_000);
    const frac = String(whole % 10_000_000).padStart(7, '0').slice(0, fractionDigits);
    const hh = String(Math.floor(secs / 3600)).padStart(2, '0');
    const mm = String(Math.floor(secs / 60) % 60).padStart(2, '0');
    const ss = String(secs % 60).padStart(2, '0');
    parts.push(`${hh}:${mm}:${ss}${fractionDigits > 0 ? '.' + frac : ''}`);
  }
  let s = parts.join(' ');
  if (t.offset !== null) {
    const o = Math.abs(t.offset);
    s += ` ${t.offset < 0 ? '-' : '+'}${String(Math.floor(o / 60)).padStart(2, '0')}:${String(o % 60).padStart(2, '0')}`;
  }
  return s;
}

/** Upper-case canonical text of a GUID's wire bytes (first three groups little-endian).
 * Built in a scratch buffer and decoded once: one string allocation per GUID. */
export function guidFromWire(buf: Buffer, pos: number): string {
  const out = GUID_SCRATCH;
  for (let i = 0; i < 16; i++) {
    const b = buf[pos + i];
    const at = GUID_TEXT_POS_OF_BYTE[i];
    out[at] = HEX_DIGIT[b >> 4];
    out[at + 1] = HEX_DIGIT[b & 15];
  }
  return out.toString('latin1', 0, 36);
}

const HEX_DIGIT = Buffer.from('0123456789ABCDEF', 'latin1');
const GUID_SCRATCH = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');
const HEX_VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;
}
/** Text positions of the 16 bytes in wire order. */
const GUID_TEXT_POS = [6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34];
const GUID_TEXT_POS_OF_BYTE = GUID_TEXT_POS;

export function writeGuid(buf: Buffer, pos: number, guid: string): void {
  for (let i = 0; i < 16; i++) {
    const p = GUID_TEXT_POS[i];
    buf[pos + i] = (HEX_VALUE[guid.charCodeAt(p)] << 4) | HEX_VALUE[guid.charCodeAt(p + 1)];
  }
}

export function parseGuid(text: string): string | undefined {
  const t = text.trim().replace(/^\{(.*)\}$/, '$1');
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t) ? t.toUpperCase() : undefined;
}
