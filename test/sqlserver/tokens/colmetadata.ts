import type { TdsWriter } from '../protocol/writer';
import { familyOf, type SqlType } from '../types';
import { TokenType } from './token-type';

/** A column of a result set as COLMETADATA describes it. */
export interface ResultColumn {
  name: string;
  type: SqlType;
  nullable: boolean;
  identity?: boolean;
  /** true for columns that come straight from a table (usUpdateable = read/write). */
  updatable?: boolean;
}

const Flags = { NULLABLE: 0x0001, UPDATEABLE_READWRITE: 0x0008, IDENTITY: 0x0010 } as const;

export function writeColMetadata(w: TdsWriter, columns: readonly ResultColumn[]): void {
  w.u8(TokenType.COLMETADATA);
  w.u16(columns.length);
  for (const c of columns) {
    w.u32(0); // user type
    let flags = c.nullable ? Flags.NULLABLE : 0;
    if (c.updatable) flags |= Flags.UPDATEABLE_READWRITE;
    if (c.identity) flags |= Flags.IDENTITY;
    w.u16(flags);
    w.bytes(familyOf(c.type).typeInfo(c.type, c.nullable));
    w.bVarChar(c.name);
  }
}
