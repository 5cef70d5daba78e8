/**
 * TDS packets (MS-TDS 2.2.3): an 8-byte header (type, status, big-endian length, SPID,
 * packet id, window) followed by payload. A message is one or more packets, the last one
 * flagged END_OF_MESSAGE.
 */
export const PacketType = {
  SQL_BATCH: 0x01,
  RPC_REQUEST: 0x03,
  TABULAR_RESULT: 0x04,
  ATTENTION: 0x06,
  BULK_LOAD: 0x07,
  FEDAUTH_TOKEN: 0x08,
  TRANSACTION_MANAGER: 0x0e,
  LOGIN7: 0x10,
  SSPI: 0x11,
  PRELOGIN: 0x12,
} as const;

export const PacketStatus = { NORMAL: 0x00, END_OF_MESSAGE: 0x01, IGNORE: 0x02, RESET_CONNECTION: 0x08, RESET_CONNECTION_SKIP_TRAN: 0x10 } as const;

export const HEADER_LENGTH = 8;

export interface Packet {
  type: number;
  status: number;
  payload: Buffer;
}

/**
 * Splits a byte stream into packets. Chunks are collected until a whole packet is present,
 * so packets straddling TCP reads (or several packets in one read) are handled.
 */
export class PacketReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly onPacket: (packet: Packet) => void, private readonly onError: (err: Error) => void) {}

  push(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    while (this.pendingBytes >= HEADER_LENGTH) {
      let head = this.pending[0];
      if (head.length < HEADER_LENGTH) {
        head = Buffer.concat(this.pending);
        this.pending = [head];
      }
      const length = head.readUInt16BE(2);
      if (length < HEADER_LENGTH) {
        this.onError(new Error(`Invalid TDS packet length ${length}`));
        return;
      }
      if (this.pendingBytes < length) return;
      if (head.length < length) {
        head = Buffer.concat(this.pending);
        this.pending = [head];
      }
      const packet: Packet = { type: head[0], status: head[1], payload: head.subarray(HEADER_LENGTH, length) };
      if (head.length === length) this.pending.shift();
      else this.pending[0] = head.subarray(length);
      this.pendingBytes -= length;
      this.onPacket(packet);
    }
  }
}

/** Frames a whole payload as one message (used for small responses such as PRELOGIN). */
export function frameMessage(type: number, payload: Buffer, packetSize: number, spid = 0): Buffer {
  const chunk = packetSize - HEADER_LENGTH;
  const count = Math.max(1, Math.ceil(payload.length / chunk));
  const out = Buffer.allocUnsafe(payload.length + count * HEADER_LENGTH);
  let src = 0;
  let dst = 0;
  for (let i = 0; i < count; i++) {
    const n = Math.min(chunk, payload.length - src);
    out[dst] = type;
    out[dst + 1] = i === count - 1 ? PacketStatus.END_OF_MESSAGE : PacketStatus.NORMAL;
    out.writeUInt16BE(n + HEADER_LENGTH, dst + 2);
    out.writeUInt16BE(spid, dst + 4);
    out[dst + 6] = (i + 1) & 0xff;
    out[dst + 7] = 0;
    payload.copy(out, dst + HEADER_LENGTH, src, src + n);
    src += n;
    dst += n + HEADER_LENGTH;
  }
  return out;
}
