import type { TdsWriter } from '../protocol/writer';
import { SERVER_VERSION } from '../protocol/prelogin';
import { TokenType } from './token-type';

const PROG_NAME = 'Microsoft SQL Server';

/** LOGINACK: interface (1 = SQL_TSQL), TDS version (big-endian), program name and version. */
export function writeLoginAck(w: TdsWriter, tdsVersion: number): void {
  w.u8(TokenType.LOGINACK);
  w.u16(1 + 4 + 1 + PROG_NAME.length * 2 + 4);
  w.u8(1);
  w.reserve(4);
  w.pos = w.buf.writeUInt32BE(tdsVersion, w.pos);
  w.bVarChar(PROG_NAME);
  w.u8(SERVER_VERSION.major);
  w.u8(SERVER_VERSION.minor);
  w.u8(SERVER_VERSION.build >> 8);
  w.u8(SERVER_VERSION.build & 0xff);
}
