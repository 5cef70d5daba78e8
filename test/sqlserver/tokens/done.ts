import type { TdsWriter } from '../protocol/writer';
import { TokenType } from './token-type';

export const DoneStatus = { FINAL: 0x00, MORE: 0x01, ERROR: 0x02, INXACT: 0x04, COUNT: 0x10, ATTN: 0x20, SRVERROR: 0x100 } as const;

/** CurCmd values SQL Server puts in DONE tokens. */
export const CurCmd = { NONE: 0x00, SELECT: 0xc1, INSERT: 0xc3, DELETE: 0xc4, UPDATE: 0xc5, MERGE: 0x117, EXECUTE: 0xe0 } as const;

export type DoneToken = typeof TokenType.DONE | typeof TokenType.DONEPROC | typeof TokenType.DONEINPROC;

/** DONE / DONEPROC / DONEINPROC: status, current command, 64-bit row count. */
export function writeDone(w: TdsWriter, token: DoneToken, status: number, curCmd: number, rowCount: number): void {
  w.reserve(13);
  const b = w.buf;
  let p = w.pos;
  b[p++] = token;
  p = b.writeUInt16LE(status, p);
  p = b.writeUInt16LE(curCmd, p);
  p = b.writeUInt32LE(rowCount >>> 0, p);
  p = b.writeUInt32LE(Math.floor(rowCount / 0x1_0000_0000), p);
  w.pos = p;
}
