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
    const nbc = this.useNbcRow(nulls, nullMarkers);
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

  /**
   * Writes one row of bulk-loaded values still in wire form (`src`): where copy[i] = k >= 0,
   * column i is sent value k as received, spanning starts[k] to ends[k] (~ends[k] for a NULL).
   * Its TYPE_INFO is the result column's, so those bytes, NULL marker included, are what
   * write() would produce. Other columns are values[i].
   */
  writeWire(w: TdsWriter, values: readonly Value[], copy: Int32Array, src: Buffer, starts: Int32Array, ends: Int32Array): void {
    const n = copy.length;
    const sizes = this.sizes;
    const fixed = this.fixedSizes;
    let size = 1;
    let nulls = 0;
    let nullMarkers = 0;
    for (let i = 0; i < n; i++) {
      const k = copy[i];
      if (k >= 0) {
        const end = ends[k];
        if (end < 0) {
          nulls++;
          nullMarkers += ~end - starts[k];
        } else size += end - starts[k];
        continue;
      }
      const v = values[i];
      if (v === null) {
        if (this.nullLengths[i] === 0) throw new Error(`NULL in NOT NULL result column ${i}`);
        nulls++;
        nullMarkers += this.nullLengths[i];
      } else {
        const f = fixed[i];
        size += f >= 0 ? f : sizes[i](v);
      }
    }
    const nbc = this.useNbcRow(nulls, nullMarkers);
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
        const k = copy[i];
        const end = k >= 0 ? ends[k] : 0;
        if (k >= 0 ? end < 0 : values[i] === null) buf[bitmapAt + (i >> 3)] |= 1 << (i & 7);
        else if (k >= 0) pos = copyBytes(src, starts[k], end, buf, pos);
        else pos = writers[i](buf, pos, values[i]);
      }
    } else {
      buf[pos++] = TokenType.ROW;
      // values sent one after another are copied in one go (NULL markers included); -1: no run
      let runStart = -1;
      let runEnd = -1;
      for (let i = 0; i < n; i++) {
        const k = copy[i];
        if (k >= 0) {
          const end = ends[k] < 0 ? ~ends[k] : ends[k];
          if (starts[k] !== runEnd) {
            pos = copyBytes(src, runStart, runEnd, buf, pos);
            runStart = starts[k];
          }
          runEnd = end;
          continue;
        }
        pos = copyBytes(src, runStart, runEnd, buf, pos);
        runStart = runEnd = -1;
        const v = values[i];
        if (v === null) {
          const nb = this.nullBytes[i];
          for (let j = 0; j < nb.length; j++) buf[pos++] = nb[j];
        } else {
          pos = writers[i](buf, pos, v);
        }
      }
      pos = copyBytes(src, runStart, runEnd, buf, pos);
    }
    w.pos = pos;
  }

  /** NBCROW when the NULL markers it leaves out are more than its bitmap costs. */
  private useNbcRow(nulls: number, nullMarkers: number): boolean {
    return nulls > 0 && nullMarkers > this.bitmapBytes;
  }
}

/** Copies src[start, end) to dst at pos; short runs byte by byte (cheaper than a native copy). */
function copyBytes(src: Buffer, start: number, end: number, dst: Buffer, pos: number): number {
  const n = end - start;
  if (n > 32) return pos + src.copy(dst, pos, start, end);
  for (let j = start; j < end; j++) dst[pos++] = src[j];
  return pos;
}

const VARIABLE = new Set(['char', 'varchar', 'nchar', 'nvarchar', 'binary', 'varbinary']);
const isVariable = (c: ResultColumn) => VARIABLE.has(c.type.name);
