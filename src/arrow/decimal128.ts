/**
 * Exact decimals: text ↔ unscaled bigint ↔ Arrow Decimal128 words (four little-endian uint32,
 * two's complement). Nothing here goes through a JS number, which cannot hold 38 digits.
 */
import { HyggeError } from '../errors';

const TWO_128 = 1n << 128n;
const MASK_32 = 0xffffffffn;

/** `-123.45` at scale 4 → -1234500n; refuses more fractional digits than the scale allows */
export function unscaledFromText(text: string, scale: number): bigint {
  const m = /^\s*([+-])?(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    throw new HyggeError('SOURCE_CORRUPT', `cannot read the decimal ${JSON.stringify(text)}`);
  }
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > scale) throw new HyggeError('SOURCE_CORRUPT', `the decimal ${text} has more than ${scale} fractional digits`);
  const digits = (m[2] || '0') + frac.padEnd(scale, '0');
  const value = BigInt(digits);
  return m[1] === '-' ? -value : value;
}

/** -1234500n at scale 4 → `-123.4500` */
export function textFromUnscaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

export function writeDecimal128(words: Uint32Array, index: number, value: bigint): void {
  let v = value < 0n ? value + TWO_128 : value;
  const at = index * 4;
  for (let i = 0; i < 4; i++) {
    words[at + i] = Number(v & MASK_32);
    v >>= 32n;
  }
}

export function readDecimal128(words: Uint32Array, index: number): bigint {
  const at = index * 4;
  let v = 0n;
  for (let i = 3; i >= 0; i--) v = (v << 32n) | BigInt(words[at + i]!);
  return words[at + 3]! & 0x80000000 ? v - TWO_128 : v;
}
