/**
 * ROW and NBCROW token bodies (MS-TDS 2.2.7.19, 2.2.7.13) → Arrow record batches of at most
 * `capacity` rows. A row is first measured (every cell's length prefix), and decoded only when
 * all its bytes are in the buffer, so a row split across packets is never half-written.
 */
import * as arrow from 'apache-arrow';
import type { ReadColumn } from '../../../arrow/columnAccumulators';
import { HyggeError } from '../../../errors';
import { cellReader, type CellReader, type TdsColumnMeta } from './cellReaders';
import { BatchArrays } from './outputs';

export class RowDecoder {
  readonly schema: arrow.Schema;
  private readonly readers: CellReader[];
  private readonly bitmapBytes: number;
  /** where each cell of the row last measured by rowEnd starts */
  private readonly starts: Int32Array;
  /** the batches' arrays, reused once a batch is released (outputs.ts) */
  private readonly arrays: BatchArrays;
  rows = 0;

  constructor(metas: readonly TdsColumnMeta[], columns: readonly ReadColumn[], readonly capacity: number) {
    if (metas.length !== columns.length) {
      throw new HyggeError('SCHEMA_MISMATCH', `the query returned ${metas.length} columns where ${columns.length} were described`, {
        hint: 'The table changed while it was read; run again.',
      });
    }
    this.arrays = new BatchArrays(capacity);
    this.readers = metas.map((m, i) => cellReader(m, columns[i]!.sqlType, columns[i]!.nullable, this.arrays));
    this.schema = new arrow.Schema(this.readers.flatMap((r) => r.fields));
    this.bitmapBytes = (metas.length + 7) >> 3;
    this.starts = new Int32Array(metas.length);
  }

  get full(): boolean {
    return this.rows >= this.capacity;
  }

  /**
   * where the row whose body starts at `pos` ends, or -1 when it is not all in buf[..end) yet.
   * Remembers where each cell starts (-1: NULL by the bitmap) for `decode`, so a row's length
   * prefixes are read once.
   */
  rowEnd(buf: Buffer, pos: number, end: number, nbc: boolean): number {
    const readers = this.readers;
    const starts = this.starts;
    let p = pos;
    if (nbc) {
      p += this.bitmapBytes;
      if (p > end) return -1;
    }
    for (let i = 0; i < readers.length; i++) {
      if (nbc && (buf[pos + (i >> 3)]! & (1 << (i & 7))) !== 0) {
        starts[i] = -1;
        continue;
      }
      starts[i] = p;
      const size = readers[i]!.size(buf, p, end);
      if (size < 0) return -1;
      p += size;
      if (p > end) return -1;
    }
    return p;
  }

  /** decodes the row rowEnd just measured complete (same buffer) into the next row of the batch */
  decode(buf: Buffer): void {
    const readers = this.readers;
    const starts = this.starts;
    const row = this.rows;
    if (row === 0) for (const reader of readers) reader.start();
    for (let i = 0; i < readers.length; i++) {
      const start = starts[i]!;
      if (start < 0) readers[i]!.setNull(row);
      else readers[i]!.read(buf, start, row);
    }
    this.rows = row + 1;
  }

  finish(): arrow.RecordBatch {
    const length = this.rows;
    const children = this.readers.flatMap((r) => r.finish(length));
    this.rows = 0;
    const data = arrow.makeData({ type: new arrow.Struct(this.schema.fields), length, nullCount: 0, children });
    const batch = new arrow.RecordBatch(this.schema, data);
    this.arrays.seal(batch);
    return batch;
  }
}
