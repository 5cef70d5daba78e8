import { WireReader, type ReadValue, type Value } from '../types';
import type { SkipValue } from '../types/wire-skip';
import type { PendingRows, Row } from './row-snapshot';

/**
 * How the rows of one bulk load lie in the received bytes: for each column the client sent,
 * its TYPE_INFO as sent, how to read and skip its values, and the table column it fills.
 * Rows of this form are decoded only when a statement needs their values, one at a time, and
 * served by copying the received value bytes where the result column's TYPE_INFO is the same
 * (see ResultRowReader).
 */
export class WireFormat {
  /** The sent column that fills each table column, or -1 (the load left it out: NULL). */
  readonly sentColumnOf: Int32Array;
  private readonly reader = new WireReader(Buffer.alloc(0), 0);
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  constructor(
    /** TYPE_INFO bytes of each sent column (type id first), as the client sent them. */
    readonly typeInfos: readonly Buffer[],
    private readonly readers: readonly ReadValue[],
    readonly skippers: readonly SkipValue[],
    /** The table column each sent column fills. */
    readonly targets: readonly number[],
    readonly width: number,
  ) {
    this.sentColumnOf = new Int32Array(width).fill(-1);
    targets.forEach((t, k) => (this.sentColumnOf[t] = k));
    this.starts = new Int32Array(targets.length);
    this.ends = new Int32Array(targets.length);
  }

  /** Decodes the row whose values start at `offset` into a fresh Row. */
  decode(buf: Buffer, offset: number): Row {
    const r = this.reader;
    r.buf = buf;
    r.pos = offset;
    const row: Row = new Array(this.width);
    if (this.targets.length !== this.width) row.fill(null);
    for (let k = 0; k < this.readers.length; k++) row[this.targets[k]] = this.readers[k](r);
    return row;
  }

  /**
   * Finds the values of the row at `offset`: sent value k spans starts[k] to ends[k], with
   * ends[k] complemented (~end, negative) when the value is NULL.
   */
  locate(buf: Buffer, offset: number, starts: Int32Array, ends: Int32Array): void {
    const skippers = this.skippers;
    let pos = offset;
    for (let k = 0; k < skippers.length; k++) {
      starts[k] = pos;
      const end = skippers[k](buf, pos);
      ends[k] = end;
      pos = end < 0 ? ~end : end;
    }
  }

  /** Decodes sent value k, which starts at `pos`. */
  read(k: number, buf: Buffer, pos: number): Value {
    const r = this.reader;
    r.buf = buf;
    r.pos = pos;
    return this.readers[k](r);
  }

  /** Decodes only the given table columns of the row at `offset` into `into` (others are left as they are). */
  decodeColumns(buf: Buffer, offset: number, columns: readonly number[], into: Row): void {
    this.locate(buf, offset, this.starts, this.ends);
    for (const c of columns) {
      const k = this.sentColumnOf[c];
      into[c] = k < 0 ? null : this.read(k, buf, this.starts[k]);
    }
  }
}

/** Bulk-loaded rows of one received buffer, kept as received: row i's values start at offsets[i]. */
export class WireRows implements PendingRows {
  constructor(readonly format: WireFormat, readonly buf: Buffer, readonly offsets: Int32Array) {}

  get count(): number {
    return this.offsets.length;
  }

  row(i: number): Row {
    return this.format.decode(this.buf, this.offsets[i]);
  }
}
