import { NeedMoreData, type WireTypeInfo } from './sql-type';

/**
 * Finds where a value ends without decoding it (bulk loads keep rows in wire form until the
 * table is read). Returns the end position, or its bitwise complement (~end, negative) for a
 * NULL; throws NeedMoreData when the value runs past the buffer.
 */
export type SkipValue = (buf: Buffer, pos: number) => number;

const FIXED: Record<number, number> = { 0x30: 1, 0x34: 2, 0x38: 4, 0x7f: 8, 0x32: 1, 0x3b: 4, 0x3e: 8, 0x3c: 8, 0x7a: 4, 0x3d: 8, 0x3a: 4 };
const BYTE_LENGTH = new Set([0x26, 0x68, 0x6d, 0x6e, 0x6f, 0x24, 0x6a, 0x6c, 0x37, 0x3f, 0x28, 0x29, 0x2a, 0x2b]);

const short = (): never => {
  throw NeedMoreData.instance;
};

export function valueSkipper(info: WireTypeInfo): SkipValue {
  const fixed = FIXED[info.id];
  if (fixed !== undefined) return (buf, pos) => (pos + fixed <= buf.length ? pos + fixed : short());
  if (BYTE_LENGTH.has(info.id)) {
    return (buf, pos) => {
      if (pos >= buf.length) short();
      const len = buf[pos];
      const end = pos + 1 + len;
      if (end > buf.length) short();
      return len === 0 ? ~end : end;
    };
  }
  if (info.length === 0xffff) {
    // PLP: 8-byte total length (all ones = NULL), then chunks until a zero-length one
    return (buf, pos) => {
      if (pos + 8 > buf.length) short();
      if (buf.readUInt32LE(pos) === 0xffffffff && buf.readUInt32LE(pos + 4) === 0xffffffff) return ~(pos + 8);
      let p = pos + 8;
      for (;;) {
        if (p + 4 > buf.length) short();
        const n = buf.readUInt32LE(p);
        p += 4 + n;
        if (n === 0) return p;
        if (p > buf.length) short();
      }
    };
  }
  return (buf, pos) => {
    if (pos + 2 > buf.length) short();
    const len = buf.readUInt16LE(pos);
    if (len === 0xffff) return ~(pos + 2);
    const end = pos + 2 + len;
    return end <= buf.length ? end : short();
  };
}
