import type { Duplex } from 'node:stream';
import { HEADER_LENGTH, PacketStatus, PacketType } from './packet';

/**
 * Builds a response message: tokens are written into one growing payload buffer (callers
 * reserve space, then write straight into `buf` at `pos`), and whole packets are cut from it
 * and handed to the socket whenever `pos` passes `flushAt`. When the socket reports
 * backpressure, `flush()` returns a promise that resolves on 'drain', so a client that stops
 * reading (tedious `request.pause()`) stops the server from producing more.
 */
export class TdsWriter {
  buf: Buffer;
  pos = 0;
  readonly flushAt: number;
  private packetId = 1;
  /** Bytes handed to the socket so far (for tests of backpressure). */
  bytesSent = 0;

  constructor(private socket: Duplex, private packetSize: number, private readonly spid: number) {
    this.buf = Buffer.allocUnsafe(256 * 1024);
    this.flushAt = 128 * 1024;
  }

  /** Sends through another stream from now on (TLS negotiated inside TDS). */
  redirect(socket: Duplex): void {
    this.socket = socket;
  }

  setPacketSize(size: number): void {
    this.packetSize = size;
  }

  /** Makes room for n more bytes at `pos`. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  u8(v: number): void { this.reserve(1); this.buf[this.pos++] = v; }
  u16(v: number): void { this.reserve(2); this.pos = this.buf.writeUInt16LE(v, this.pos); }
  u32(v: number): void { this.reserve(4); this.pos = this.buf.writeUInt32LE(v, this.pos); }
  i32(v: number): void { this.reserve(4); this.pos = this.buf.writeInt32LE(v, this.pos); }
  u64(v: number | bigint): void { this.reserve(8); this.pos = this.buf.writeBigUInt64LE(BigInt(v), this.pos); }
  bytes(b: Buffer): void { this.reserve(b.length); b.copy(this.buf, this.pos); this.pos += b.length; }
  /** UCS-2 text without length prefix. */
  ucs2(s: string): void { this.reserve(s.length * 2); this.pos += this.buf.write(s, this.pos, 'utf16le'); }
  /** B_VARCHAR: 1-byte character count + UCS-2. */
  bVarChar(s: string): void { this.u8(s.length); this.ucs2(s); }
  /** US_VARCHAR: 2-byte character count + UCS-2. */
  usVarChar(s: string): void { this.u16(s.length); this.ucs2(s); }

  /** Sends whole packets if enough is buffered; returns a promise when the socket is full. */
  flush(): Promise<void> | undefined {
    const chunk = this.packetSize - HEADER_LENGTH;
    const packets = Math.floor(this.pos / chunk);
    // Keep at least one byte back so the final packet (EOM) is never empty.
    const whole = this.pos % chunk === 0 ? packets - 1 : packets;
    if (whole <= 0) return undefined;
    return this.send(whole * chunk, false);
  }

  /** Sends everything buffered as the end of the message. */
  end(): Promise<void> | undefined {
    return this.send(this.pos, true);
  }

  private send(length: number, last: boolean): Promise<void> | undefined {
    if (this.socket.destroyed) {
      this.pos = 0;
      return undefined;
    }
    const chunk = this.packetSize - HEADER_LENGTH;
    const count = Math.max(1, Math.ceil(length / chunk));
    const out = Buffer.allocUnsafe(length + count * HEADER_LENGTH);
    let src = 0;
    let dst = 0;
    for (let i = 0; i < count; i++) {
      const n = Math.min(chunk, length - src);
      out[dst] = PacketType.TABULAR_RESULT;
      out[dst + 1] = last && i === count - 1 ? PacketStatus.END_OF_MESSAGE : PacketStatus.NORMAL;
      out.writeUInt16BE(n + HEADER_LENGTH, dst + 2);
      out.writeUInt16BE(this.spid, dst + 4);
      out[dst + 6] = this.packetId;
      out[dst + 7] = 0;
      this.packetId = (this.packetId + 1) & 0xff;
      this.buf.copy(out, dst + HEADER_LENGTH, src, src + n);
      src += n;
      dst += n + HEADER_LENGTH;
    }
    if (length < this.pos) this.buf.copy(this.buf, 0, length, this.pos);
    this.pos -= length;
    if (last) this.packetId = 1;
    this.bytesSent += out.length;
    if (this.socket.write(out)) return undefined;
    return new Promise<void>((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }
}
