/**
 * 64-bit integer I/O without BigInt arithmetic on the hot path. Node's writeBigInt64LE and
 * readBigInt64LE split values with BigInt operations (several allocations per call); values
 * within ±2^53 (nearly all real data) go through doubles here instead.
 */
const TWO_32 = 4_294_967_296;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function writeInt64(buf: Buffer, pos: number, v: bigint): void {
  if (v <= SAFE && v >= -SAFE) {
    const n = Number(v);
    const hi = Math.floor(n / TWO_32);
    const lo = n - hi * TWO_32;
    buf.writeUInt32LE(lo, pos);
    buf.writeInt32LE(hi, pos + 4);
  } else {
    buf.writeBigInt64LE(v, pos);
  }
}

/** Unsigned 64-bit (decimal magnitudes). */
export function writeUInt64(buf: Buffer, pos: number, v: bigint): void {
  if (v <= SAFE) {
    const n = Number(v);
    const hi = Math.floor(n / TWO_32);
    buf.writeUInt32LE(n - hi * TWO_32, pos);
    buf.writeUInt32LE(hi, pos + 4);
  } else {
    buf.writeBigUInt64LE(v, pos);
  }
}

export function readInt64(buf: Buffer, pos: number): bigint {
  const lo = buf.readUInt32LE(pos);
  const hi = buf.readInt32LE(pos + 4);
  // |hi| < 2^21 keeps hi * 2^32 + lo exact in a double
  if (hi < 0x200000 && hi >= -0x200000) return BigInt(hi * TWO_32 + lo);
  return buf.readBigInt64LE(pos);
}

export function readUInt64(buf: Buffer, pos: number): bigint {
  const lo = buf.readUInt32LE(pos);
  const hi = buf.readUInt32LE(pos + 4);
  if (hi < 0x200000) return BigInt(hi * TWO_32 + lo);
  return buf.readBigUInt64LE(pos);
}
