import type { TdsWriter } from '../protocol/writer';
import { TokenType } from './token-type';

const FedAuthInfoId = { STSURL: 0x01, SPN: 0x02 } as const;

/**
 * FEDAUTHINFO: tells the client where to get a token (STS URL) and for which resource (SPN).
 * Offsets are relative to the start of the token data (the CountOfInfoIDs field).
 */
export function writeFedAuthInfo(w: TdsWriter, stsUrl: string, spn: string): void {
  const entries: [number, string][] = [[FedAuthInfoId.STSURL, stsUrl], [FedAuthInfoId.SPN, spn]];
  const headerLength = 4 + entries.length * 9;
  const dataLength = entries.reduce((n, [, s]) => n + s.length * 2, 0);
  w.u8(TokenType.FEDAUTHINFO);
  w.u32(headerLength + dataLength);
  w.u32(entries.length);
  let offset = headerLength;
  for (const [id, s] of entries) {
    w.u8(id);
    w.u32(s.length * 2);
    w.u32(offset);
    offset += s.length * 2;
  }
  for (const [, s] of entries) w.ucs2(s);
}
