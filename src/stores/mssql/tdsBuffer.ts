/**
 * A growable little-endian byte buffer for encoding bulk-load rows. hygge encodes the ROW
 * tokens of many rows into one buffer and hands tedious whole chunks: tedious's own row
 * stream costs a stream write, a promise and a process.nextTick per row, and a
 * generator plus small Buffers per cell, which caps a load well below the target rate.
 */
export class TdsBuffer {
  private buf: Buffer;
  length = 0;

  constructor(initialSize = 256 * 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** The bytes written so far (a copy-free view), and a fresh buffer for what comes next. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length);
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.length = 0;
    return out;
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }

  writeUInt8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
  }
  // Integers are stored byte by byte: Buffer's writeUIntLE & co. check their arguments and
  // dispatch on the width on every call, which cost more than the stores themselves.
  writeUInt16LE(v: number): void {
    if (v < 0 || v > 0xffff) throw outOfRange(v, 0, 0xffff);
    this.room(2);
    const buf = this.buf;
    const o = this.length;
    buf[o] = v;
    buf[o + 1] = v >>> 8;
    this.length = o + 2;
  }
  writeInt16LE(v: number): void {
    if (v < -0x8000 || v > 0x7fff) throw outOfRange(v, -0x8000, 0x7fff);
    this.writeUInt16LE(v & 0xffff);
  }
  writeUInt24LE(v: number): void {
    if (v < 0 || v > 0xffffff) throw outOfRange(v, 0, 0xffffff);
    this.room(3);
    const buf = this.buf;
    const o = this.length;
    buf[o] = v;
    buf[o + 1] = v >>> 8;
    buf[o + 2] = v >>> 16;
    this.length = o + 3;
  }
  writeUInt32LE(v: number): void {
    this.room(4);
    const buf = this.buf;
    const o = this.length;
    buf[o] = v;
    buf[o + 1] = v >>> 8;
    buf[o + 2] = v >>> 16;
    buf[o + 3] = v >>> 24;
    this.length = o + 4;
  }
  writeInt32LE(v: number): void {
    if (v < -0x80000000 || v > 0x7fffffff) throw outOfRange(v, -0x80000000, 0x7fffffff);
    this.writeUInt32LE(v | 0);
  }
  /** an unsigned 40-bit integer (below 2^40, as datetime2's 5-byte time is) */
  writeUInt40LE(v: number): void {
    if (v < 0 || v > 0xffffffffff) throw outOfRange(v, 0, 0xffffffffff);
    this.room(5);
    const buf = this.buf;
    const o = this.length;
    const high = Math.floor(v / 0x100000000);
    buf[o] = v;
    buf[o + 1] = v >>> 8;
    buf[o + 2] = v >>> 16;
    buf[o + 3] = v >>> 24;
    buf[o + 4] = high;
    this.length = o + 5;
  }
  writeBigInt64LE(v: bigint): void {
    this.room(8);
    this.length = this.buf.writeBigInt64LE(v, this.length);
  }
  writeFloatLE(v: number): void {
    this.room(4);
    this.length = this.buf.writeFloatLE(v, this.length);
  }
  writeDoubleLE(v: number): void {
    this.room(8);
    this.length = this.buf.writeDoubleLE(v, this.length);
  }
  writeBuffer(v: Uint8Array): void {
    this.room(v.length);
    this.buf.set(v, this.length);
    this.length += v.length;
  }
  /** Overwrites 2 bytes written earlier (a length prefix reserved before its value). */
  patchUInt16LE(at: number, v: number): void {
    this.buf.writeUInt16LE(v, at);
  }
  patchUInt32LE(at: number, v: number): void {
    this.buf.writeUInt32LE(v >>> 0, at);
  }
  /** the 8 bytes at src[at..] as they are (a little-endian int64 from Arrow's buffer, no BigInt) */
  writeBytes8(src: Uint8Array, at: number): void {
    this.room(8);
    const buf = this.buf;
    let o = this.length;
    for (let i = at; i < at + 8; i++) buf[o++] = src[i]!;
    this.length = o;
  }

  /**
   * src[start, end) when every byte is ASCII, copied by hand (short cells: a subarray and
   * set cost more than the loop). Returns false, with nothing written, at the first byte ≥ 0x80.
   */
  writeAscii(src: Uint8Array, start: number, end: number): boolean {
    this.room(end - start);
    const buf = this.buf;
    let o = this.length;
    for (let i = start; i < end; i++) {
      const c = src[i]!;
      if (c >= 0x80) return false;
      buf[o++] = c;
    }
    this.length = o;
    return true;
  }

  /**
   * UTF-8 bytes src[start, end) as UTF-16LE, transcoded in place: no JS string and no Buffer
   * per cell (those were a fifth of a load's CPU). Returns the bytes written, or -1 with
   * nothing written when src is not well-formed UTF-8, for the caller to take the string
   * path (which replaces bad sequences as Buffer#toString does).
   */
  writeUtf16FromUtf8(src: Uint8Array, start: number, end: number): number {
    this.room((end - start) * 2);
    const buf = this.buf;
    let o = this.length;
    let i = start;
    while (i < end) {
      const c = src[i]!;
      if (c < 0x80) {
        buf[o] = c;
        buf[o + 1] = 0;
        o += 2;
        i++;
        continue;
      }
      let cp: number;
      if (c >= 0xc2 && c <= 0xdf) {
        if (i + 1 >= end) return -1;
        const c1 = src[i + 1]!;
        if ((c1 & 0xc0) !== 0x80) return -1;
        cp = ((c & 0x1f) << 6) | (c1 & 0x3f);
        i += 2;
      } else if (c >= 0xe0 && c <= 0xef) {
        if (i + 2 >= end) return -1;
        const c1 = src[i + 1]!;
        const c2 = src[i + 2]!;
        if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) return -1;
        cp = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
        if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return -1; // overlong, or a lone surrogate
        i += 3;
      } else if (c >= 0xf0 && c <= 0xf4) {
        if (i + 3 >= end) return -1;
        const c1 = src[i + 1]!;
        const c2 = src[i + 2]!;
        const c3 = src[i + 3]!;
        if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80 || (c3 & 0xc0) !== 0x80) return -1;
        cp = ((c & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
        if (cp < 0x10000 || cp > 0x10ffff) return -1;
        i += 4;
        // a surrogate pair
        const v = cp - 0x10000;
        const hi = 0xd800 + (v >> 10);
        const lo = 0xdc00 + (v & 0x3ff);
        buf[o] = hi & 0xff;
        buf[o + 1] = hi >> 8;
        buf[o + 2] = lo & 0xff;
        buf[o + 3] = lo >> 8;
        o += 4;
        continue;
      } else {
        return -1;
      }
      buf[o] = cp & 0xff;
      buf[o + 1] = cp >> 8;
      o += 2;
    }
    const written = o - this.length;
    this.length = o;
    return written;
  }

  /** UTF-16LE text (nchar/nvarchar), without a length prefix */
  writeUcs2(v: string): void {
    this.room(v.length * 2);
    this.length += this.buf.write(v, this.length, 'utf16le');
  }
}

/** what Buffer's checked writers threw for a value that does not fit: a cell never wraps silently */
function outOfRange(v: number, min: number, max: number): RangeError {
  return new RangeError(`The value of "value" is out of range. It must be >= ${min} and <= ${max}. Received ${v}`);
}
