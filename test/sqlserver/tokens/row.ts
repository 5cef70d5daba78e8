import type { TdsWriter } from '../protocol/writer';
import { familyOf, type ValueEncoder, type Value } from '../types';
import type { ResultColumn } from './colmetadata';
import { TokenType } from './token-type';

/**
 * Encodes ROW / NBCROW tokens for one result set. NBCROW (a null bitmap, then only the
 * non-null values) is used for a row when the NULL markers it saves are more than the
 * bitmap costs, which is what SQL Server does for wide rows with many NULLs.
 */
export class RowEncoder {
  private readonly writers: ValueEncoder['write'][];
  private readonly sizes: ValueEncoder['maxSize'][];
  private readonly nullBytes: Buffer[];
  private readonly nullLengths: number[];
  private readonly bitmapBytes: number;
  /** Size of a non-null value when it does not depend on the value, else -1. */
  private readonly fixedSizes: number[];

  constructor(columns: readonly ResultColumn[]) {
    const encoders = columns.map((c) => familyOf(c.type).encoder(c.type, c.nullable));
    this.fixedSizes = columns.map((c, i) => (isVariable(c) ? -1 : encoders[i].maxSize(null)));
    this.writers = encoders.map((e) => e.write);
    this.sizes = encoders.map((e) => e.maxSize);
    this.nullBytes = encoders.map((e) => e.nullBytes);
    this.nullLengths = encoders.map((e) => e.nullBytes.length);
    this.bitmapBytes = (columns.length + 7) >> 3;
  }

  /** Writes one row whose column i is `row[index[i]]`. */
  write(w: TdsWriter, row: readonly Value[], index: readonly number[]): void {
    const n = index.length;
    const sizes = this.sizes;
    const fixed = this.fixedSizes;
    let size = 1;
    let nulls = 0;
    let nullMarkers = 0;
    for (let i = 0; i < n; i++) {
      const v = row[index[i]];
      if (v === null) {
        // A NOT NULL column has no NULL marker: sending one would corrupt the stream.
        if (this.nullLengths[i] === 0) throw new Error(`NULL in NOT NULL result column ${i}`);
        nulls++;
        nullMarkers += this.nullLengths[i];
      } else {
        const f = fixed[i];
        size += f >= 0 ? f : sizes[i](v);
      }
    }
    const nbc = nulls > 0 && nullMarkers > this.bitmapBytes;
    w.reserve(size + (nbc ? this.bitmapBytes : nullMarkers));
    const buf = w.buf;
    let pos = w.pos;
    const writers = this.writers;
    if (nbc) {
      buf[pos++] = TokenType.NBCROW;
      const bitmapAt = pos;
      buf.fill(0, pos, pos + this.bitmapBytes);
      pos += this.bitmapBytes;
      for (let i = 0; i < n; i++) {
        const v = row[index[i]];
        if (v === null) buf[bitmapAt + (i >> 3)] |= 1 << (i & 7);
        else pos = writers[i](buf, pos, v);
      }
    } else {
      buf[pos++] = TokenType.ROW;
      for (let i = 0; i < n; i++) {
        const v = row[index[i]];
        if (v === null) {
          const nb = this.nullBytes[i];
          for (let j = 0; j < nb.length; j++) buf[pos++] = nb[j];
        } else {
          pos = writers[i](buf, pos, v);
        }
      }
    }
    w.pos = pos;
  }
}

const VARIABLE = new Set(['char', 'varchar', 'nchar', 'nvarchar', 'binary', 'varbinary']);
const isVariable = (c: ResultColumn) => VARIABLE.has(c.type.name);
