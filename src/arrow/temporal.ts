/**
 * Exact date/time arithmetic in SQL Server's unit, the 100 ns tick, for the values tedious
 * hands over (a Date holding milliseconds plus a `nanosecondsDelta` holding the rest) and for
 * the text SQL Server prints (`2024-05-01 10:20:30.1234567 +02:00`).
 */
import { HyggeError } from '../errors';

export const TICKS_PER_MS = 10_000;
export const MS_PER_DAY = 86_400_000;

/** tedious's Date for time/datetime2/datetimeoffset → 100 ns ticks since the Unix epoch, as a bigint */
export function ticksFromTediousDate(date: Date): bigint {
  const delta = (date as Date & { nanosecondsDelta?: number }).nanosecondsDelta ?? 0;
  return BigInt(date.getTime()) * 10_000n + BigInt(Math.round(delta * 1e7));
}

const MIN_NS_MS = -9_223_372_036_854; // the ms range a nanosecond Int64 can hold
const MAX_NS_MS = 9_223_372_036_854;

/** ticks → nanoseconds, refusing values a nanosecond Int64 cannot hold (before 1677 or after 2262) */
export function nanosFromTicks(ticks: bigint, column: string): bigint {
  checkNanosRange(Number(ticks / 10_000n), column);
  return ticks * 100n;
}

/** throws unless milliseconds since the epoch `ms` fit a nanosecond Int64 (the years 1677–2262) */
export function checkNanosRange(ms: number, column: string): void {
  if (ms < MIN_NS_MS || ms > MAX_NS_MS) {
    throw new HyggeError('SOURCE_CORRUPT', `column "${column}" holds ${new Date(ms).toISOString()}, outside the years 1677–2262 that a nanosecond timestamp can hold`, {
      hint: `Read it as datetime2(6) (microseconds) with a query: CAST([${column}] AS datetime2(6)).`,
    });
  }
}

/**
 * Parses SQL Server's text for datetimeoffset/datetime2 (`YYYY-MM-DD hh:mm:ss[.fffffff] [+hh:mm]`,
 * also with `T` or `Z`) into UTC ticks and the offset in minutes. Exact to the 100 ns tick.
 */
export function parseSqlDateTimeText(text: string): { ticks: bigint; offsetMinutes: number } {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:\d{2})?\s*$/.exec(text);
  if (!m) throw new HyggeError('SOURCE_CORRUPT', `cannot read the date/time text ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const localMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  // Date.UTC maps years 0–99 to 1900–1999; SQL Server's years 1–99 are literal
  const fixedMs = Number(y) < 100 ? shiftYears(localMs, Number(y)) : localMs;
  const fraction = BigInt(((frac ?? '') + '0000000').slice(0, 7));
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  const utcMs = fixedMs - offsetMinutes * 60_000;
  return { ticks: BigInt(utcMs) * 10_000n + fraction, offsetMinutes };
}

function shiftYears(ms: number, year: number): number {
  const d = new Date(ms);
  d.setUTCFullYear(year);
  return d.getTime();
}

/** UTC ticks + offset → SQL Server's datetimeoffset text, for parameters and watermarks */
export function formatSqlDateTimeOffset(ticks: bigint, offsetMinutes: number): string {
  const local = ticks + BigInt(offsetMinutes) * 600_000_000n;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${formatSqlDateTime2(local)} ${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}

/** ticks since the epoch → `YYYY-MM-DD hh:mm:ss.fffffff` */
export function formatSqlDateTime2(ticks: bigint): string {
  let ms = ticks / 10_000n;
  let rest = ticks % 10_000n;
  if (rest < 0n) {
    rest += 10_000n;
    ms -= 1n;
  }
  const iso = new Date(Number(ms)).toISOString(); // yyyy-mm-ddThh:mm:ss.mmmZ (years 0–9999)
  const fraction = iso.slice(20, 23) + pad(Number(rest), 4);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
