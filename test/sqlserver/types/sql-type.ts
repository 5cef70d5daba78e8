import type { Value } from './values';

/** The SQL Server data types the stand-in stores and speaks. */
export type TypeName =
  | 'tinyint' | 'smallint' | 'int' | 'bigint' | 'bit'
  | 'decimal' | 'numeric' | 'money' | 'smallmoney' | 'real' | 'float'
  | 'date' | 'time' | 'datetime' | 'smalldatetime' | 'datetime2' | 'datetimeoffset'
  | 'char' | 'varchar' | 'nchar' | 'nvarchar' | 'binary' | 'varbinary' | 'uniqueidentifier';

/** `length` counts characters (char family) or bytes (binary family); MAX_LENGTH means (max). */
export interface SqlType {
  readonly name: TypeName;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
}

export const MAX_LENGTH = -1;

/** TYPE_INFO as a client sent it (RPC parameter or bulk-load column). */
export interface WireTypeInfo {
  readonly id: number;
  /** Declared byte length (N types, char/binary); 0xFFFF for PLP (max) types. */
  readonly length: number;
  readonly precision: number;
  readonly scale: number;
  readonly type: SqlType;
}

/** Writes one non-null value into `buf` at `pos`, returning the new position. */
export type WriteValue = (buf: Buffer, pos: number, value: any) => number;

/**
 * How one column's values go on the wire. `maxSize` is an upper bound of the bytes a
 * non-null value takes (so the writer can reserve once per row); `nullBytes` is the NULL
 * marker used in ROW tokens (NBCROW leaves it out).
 */
export interface ValueEncoder {
  readonly maxSize: (value: any) => number;
  readonly write: WriteValue;
  readonly nullBytes: Buffer;
}

export class NeedMoreData {
  private constructor() {}
  static readonly instance = new NeedMoreData();
}

/** A cursor over a client message; value readers throw NeedMoreData.instance when short. */
export class WireReader {
  constructor(public buf: Buffer, public pos = 0) {}
  need(n: number): void {
    if (this.pos + n > this.buf.length) throw NeedMoreData.instance;
  }
  u8(): number { this.need(1); return this.buf[this.pos++]; }
  u16(): number { this.need(2); const v = this.buf.readUInt16LE(this.pos); this.pos += 2; return v; }
  u32(): number { this.need(4); const v = this.buf.readUInt32LE(this.pos); this.pos += 4; return v; }
  i32(): number { this.need(4); const v = this.buf.readInt32LE(this.pos); this.pos += 4; return v; }
  bytes(n: number): Buffer { this.need(n); const b = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return b; }
  /** A B_VARCHAR: length in characters (1 byte) then UCS-2. */
  bVarChar(): string { const n = this.u8() * 2; this.need(n); const s = this.buf.toString('utf16le', this.pos, this.pos + n); this.pos += n; return s; }
  usVarChar(): string { const n = this.u16() * 2; this.need(n); const s = this.buf.toString('utf16le', this.pos, this.pos + n); this.pos += n; return s; }

  /** Reads a PLP value (max types): total length, chunks, zero terminator. null for PLP NULL. */
  plp(): Buffer | null {
    this.need(8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    if (lo === 0xffffffff && hi === 0xffffffff) return null;
    const parts: Buffer[] = [];
    for (;;) {
      const n = this.u32();
      if (n === 0) break;
      parts.push(this.bytes(n));
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }
}

export type ReadValue = (r: WireReader) => Value;

/** One family of data types with its own declaration, conversion and wire encode/decode. */
export interface TypeFamily {
  readonly names: readonly TypeName[];
  /** TDS type ids whose TYPE_INFO this family reads (RPC parameters, bulk-load columns). */
  readonly wireIds: readonly number[];
  /** Fills in default length/precision/scale; throws for out-of-range declarations. */
  normalize(t: SqlType): SqlType;
  declaration(t: SqlType): string;
  /** Implicit conversion of a non-null value on assignment to a column/parameter of type t. */
  coerce(value: Exclude<Value, null>, t: SqlType): Value;
  /** TYPE_INFO as SQL Server sends it in COLMETADATA / RETURNVALUE. */
  typeInfo(t: SqlType, nullable: boolean): Buffer;
  encoder(t: SqlType, nullable: boolean): ValueEncoder;
  /** Reads the TYPE_INFO that follows the type id byte. */
  readTypeInfo(id: number, r: WireReader): WireTypeInfo;
  valueReader(info: WireTypeInfo): ReadValue;
}

export const isMax = (t: SqlType) => t.length === MAX_LENGTH;
