import type { TdsWriter } from '../protocol/writer';
import { familyOf, type SqlType, type Value } from '../types';
import { TokenType } from './token-type';

/** RETURNVALUE for an OUTPUT parameter (e.g. the handle sp_prepare hands back). */
export function writeReturnValue(w: TdsWriter, ordinal: number, name: string, type: SqlType, value: Value): void {
  const family = familyOf(type);
  const encoder = family.encoder(type, true);
  w.u8(TokenType.RETURNVALUE);
  w.u16(ordinal);
  w.bVarChar(name);
  w.u8(0x01); // status: output parameter
  w.u32(0); // user type
  w.u16(0x0001 | 0x0008); // flags: nullable, updatable
  w.bytes(family.typeInfo(type, true));
  if (value === null) {
    w.bytes(encoder.nullBytes);
  } else {
    w.reserve(encoder.maxSize(value));
    w.pos = encoder.write(w.buf, w.pos, value);
  }
}
