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
  writeUInt16LE(v: number): void {
    this.room(2);
    this.length = this.buf.writeUInt16LE(v, this.length);
  }
  writeInt16LE(v: number): void {
    this.room(2);
    this.length = this.buf.writeInt16LE(v, this.length);
  }
  writeUInt24LE(v: number): void {
    this.room(3);
    this.length = this.buf.writeUIntLE(v, this.length, 3);
  }
  writeUInt32LE(v: number): void {
    this.room(4);
    this.length = this.buf.writeUInt32LE(v >>> 0, this.length);
  }
  writeInt32LE(v: number): void {
    this.room(4);
    this.length = this.buf.writeInt32LE(v, this.length);
  }
  writeUInt40LE(v: number): void {
    this.room(5);
    this.length = this.buf.writeUIntLE(v, this.length, 5);
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
  /** UTF-16LE text (nchar/nvarchar), without a length prefix */
  writeUcs2(v: string): void {
    this.room(v.length * 2);
    this.length += this.buf.write(v, this.length, 'utf16le');
  }
}
