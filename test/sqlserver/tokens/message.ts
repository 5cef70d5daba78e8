import type { SqlError } from '../errors';
import type { TdsWriter } from '../protocol/writer';
import { TokenType } from './token-type';

export interface MessageDetails {
  number: number;
  state: number;
  severity: number;
  message: string;
}

/** ERROR / INFO: number, state, class, message, server name, procedure name, line number. */
export function writeMessage(w: TdsWriter, token: typeof TokenType.ERROR | typeof TokenType.INFO, m: MessageDetails, serverName: string, procName = '', line = 1): void {
  const length = 4 + 1 + 1 + 2 + m.message.length * 2 + 1 + serverName.length * 2 + 1 + procName.length * 2 + 4;
  w.u8(token);
  w.u16(length);
  w.i32(m.number);
  w.u8(m.state);
  w.u8(m.severity);
  w.usVarChar(m.message);
  w.bVarChar(serverName);
  w.bVarChar(procName);
  w.i32(line);
}

export function writeError(w: TdsWriter, err: SqlError, serverName: string, procName = '', line = 1): void {
  writeMessage(w, TokenType.ERROR, { number: err.number, state: err.state, severity: err.severity, message: err.message }, serverName, procName, line);
}

export function writeInfo(w: TdsWriter, number: number, message: string, serverName: string, state = 1, severity = 0): void {
  writeMessage(w, TokenType.INFO, { number, state, severity, message }, serverName);
}
