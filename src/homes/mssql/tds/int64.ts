/**
 * Exact 64-bit integers written into an Int32Array view of a BigInt64Array, without a BigInt
 * per value: the row decoder turns every datetime2/time/bigint cell into an Int64, and a
 * BigInt allocation per cell was a measurable share of the read path.
 */
const TWO_20 = 2 ** 20;
const TWO_32 = 2 ** 32;

/**
 * words[2*index .. 2*index+1] = a * m + b (little-endian, two's complement), exact for
 * integers |a| < 2^53, 0 < m ≤ 2^20, 0 ≤ b < 2^40 — ranges where a * m itself may exceed
 * 2^53 (nanoseconds since the epoch), so the product is split at 2^20 first.
 */
export function setInt64MulAdd(words: Int32Array, index: number, a: number, m: number, b: number): void {
  const q = Math.floor(a / TWO_20);
  const r = a - q * TWO_20; // 0 ≤ r < 2^20
  const high = q * m; // |high| < 2^33 · 2^20: exact
  const low = r * m + b; // < 2^41: exact
  // value = high · 2^20 + low; high's lowest 12 bits land in the low word
  const highHi = Math.floor(high / 4096);
  const highLo = high - highHi * 4096;
  let lo = (low % TWO_32) + highLo * TWO_20;
  let hi = Math.floor(low / TWO_32) + highHi;
  if (lo >= TWO_32) {
    lo -= TWO_32;
    hi += 1;
  }
  words[2 * index] = lo | 0;
  words[2 * index + 1] = hi | 0;
}

/** words[2*index ..] = the signed little-endian 64-bit integer at buf[pos] */
export function copyInt64(words: Int32Array, index: number, buf: Uint8Array, pos: number): void {
  words[2 * index] = buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16) | (buf[pos + 3]! << 24);
  words[2 * index + 1] = buf[pos + 4]! | (buf[pos + 5]! << 8) | (buf[pos + 6]! << 16) | (buf[pos + 7]! << 24);
}
