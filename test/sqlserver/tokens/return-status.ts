import type { TdsWriter } from '../protocol/writer';
import { TokenType } from './token-type';

export function writeReturnStatus(w: TdsWriter, status: number): void {
  w.u8(TokenType.RETURNSTATUS);
  w.i32(status);
}
