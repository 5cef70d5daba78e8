import type { TdsWriter } from '../protocol/writer';
import { TokenType } from './token-type';

export const EnvChangeType = {
  DATABASE: 1, LANGUAGE: 2, CHARSET: 3, PACKET_SIZE: 4, SQL_COLLATION: 7,
  BEGIN_TXN: 8, COMMIT_TXN: 9, ROLLBACK_TXN: 10, RESET_CONNECTION: 18,
} as const;

/** ENVCHANGE with B_VARCHAR new/old values (database, language, packet size). */
export function writeEnvChangeString(w: TdsWriter, type: number, newValue: string, oldValue: string): void {
  w.u8(TokenType.ENVCHANGE);
  w.u16(1 + 1 + newValue.length * 2 + 1 + oldValue.length * 2);
  w.u8(type);
  w.bVarChar(newValue);
  w.bVarChar(oldValue);
}

/** ENVCHANGE with B_VARBYTE new/old values (collation, transaction descriptors). */
export function writeEnvChangeBytes(w: TdsWriter, type: number, newValue: Buffer, oldValue: Buffer): void {
  w.u8(TokenType.ENVCHANGE);
  w.u16(1 + 1 + newValue.length + 1 + oldValue.length);
  w.u8(type);
  w.u8(newValue.length);
  w.bytes(newValue);
  w.u8(oldValue.length);
  w.bytes(oldValue);
}

const EMPTY = Buffer.alloc(0);

export function writeBeginTransaction(w: TdsWriter, descriptor: Buffer): void {
  writeEnvChangeBytes(w, EnvChangeType.BEGIN_TXN, descriptor, EMPTY);
}

export function writeEndTransaction(w: TdsWriter, committed: boolean, descriptor: Buffer): void {
  writeEnvChangeBytes(w, committed ? EnvChangeType.COMMIT_TXN : EnvChangeType.ROLLBACK_TXN, EMPTY, descriptor);
}
