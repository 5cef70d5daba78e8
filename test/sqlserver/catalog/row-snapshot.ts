import type { Value } from '../types';
import { WireRows } from './wire-rows';

export type Row = Value[];

/**
 * Rows not turned into Value arrays: bulk-loaded rows still in wire form (WireRows), or plain
 * rows appended behind them (kept in order). `row(i)` gives row i as a fresh array.
 */
export interface PendingRows {
  readonly count: number;
  row(i: number): Row;
}

/** Plain rows queued behind pending ones, so rows keep their order without decoding those. */
export class QueuedRows implements PendingRows {
  constructor(private readonly rows: readonly Row[]) {}
  get count(): number {
    return this.rows.length;
  }
  row(i: number): Row {
    return this.rows[i];
  }
}

/**
 * Rows at one moment, in order: `stored[0..storedCount)` (decoded), then the pending chunks,
 * at most `count` rows in all. Taking one copies no rows: a table only ever appends to its live
 * `stored` array (replacing rows swaps in a new array) and pending chunks never change, so a
 * snapshot stays valid while the table goes on changing, which is what streaming a result and
 * rolling back a transaction need. Reading one decodes pending rows as it goes, keeping none.
 */
export class RowSnapshot {
  readonly count: number;

  constructor(
    readonly stored: readonly Row[],
    readonly storedCount: number,
    readonly pending: readonly PendingRows[],
    count?: number,
  ) {
    let total = storedCount;
    for (const p of pending) total += p.count;
    this.count = count === undefined ? total : Math.min(count, total);
  }

  static of(rows: readonly Row[]): RowSnapshot {
    return new RowSnapshot(rows, rows.length, []);
  }

  /** The first n rows (TOP). */
  take(n: number): RowSnapshot {
    return n >= this.count ? this : new RowSnapshot(this.stored, Math.min(this.storedCount, n), this.pending, n);
  }

  /**
   * All rows as one array: pending rows are decoded into it (the snapshot keeps none); without
   * pending rows this may be the stored array itself, so read it before the table changes again.
   */
  toArray(): readonly Row[] {
    if (this.pending.length === 0 && this.count === this.stored.length) return this.stored;
    const out: Row[] = new Array(this.count);
    let i = 0;
    this.forEach((row) => (out[i++] = row));
    return out;
  }

  /** Calls fn with each row in order (decoded rows are fresh arrays the caller may keep). */
  forEach(fn: (row: Row) => void): void {
    this.visit(fn);
  }

  /**
   * Like forEach when only `columns` are read: rows still in wire form have just those
   * decoded, into one reused array (copy a row to keep it).
   */
  forEachColumns(columns: readonly number[], fn: (row: Row) => void): void {
    this.visit(fn, columns);
  }

  /**
   * The rows keep() accepts, reading only `columns` (as forEachColumns does). Kept rows that
   * are in wire form stay so: their offsets into the same received bytes.
   */
  filter(columns: readonly number[], keep: (row: Row) => boolean): RowSnapshot {
    const stored: Row[] = [];
    const pending: PendingRows[] = [];
    const n = Math.min(this.storedCount, this.count);
    for (let i = 0; i < n; i++) if (keep(this.stored[i])) stored.push(this.stored[i]);
    this.chunks((chunk, m) => {
      if (chunk instanceof WireRows) {
        const offsets: number[] = [];
        scanWire(chunk, m, columns, (row, i) => {
          if (keep(row)) offsets.push(chunk.offsets[i]);
        });
        if (offsets.length > 0) pending.push(new WireRows(chunk.format, chunk.buf, Int32Array.from(offsets)));
      } else {
        const rows: Row[] = [];
        for (let i = 0; i < m; i++) {
          const row = chunk.row(i);
          if (keep(row)) rows.push(row);
        }
        if (rows.length > 0) pending.push(new QueuedRows(rows));
      }
    });
    return new RowSnapshot(stored, stored.length, pending);
  }

  private visit(fn: (row: Row) => void, columns?: readonly number[]): void {
    const n = Math.min(this.storedCount, this.count);
    for (let i = 0; i < n; i++) fn(this.stored[i]);
    this.chunks((chunk, m) => {
      if (columns && chunk instanceof WireRows) scanWire(chunk, m, columns, fn);
      else for (let i = 0; i < m; i++) fn(chunk.row(i));
    });
  }

  /** Calls part() for each pending chunk with how many of its rows are within `count`. */
  private chunks(part: (chunk: PendingRows, m: number) => void): void {
    let left = this.count - Math.min(this.storedCount, this.count);
    for (const chunk of this.pending) {
      if (left === 0) return;
      const m = Math.min(chunk.count, left);
      part(chunk, m);
      left -= m;
    }
  }
}

/** Calls fn with the first m rows of a chunk in wire form, only `columns` decoded, in one reused array. */
function scanWire(chunk: WireRows, m: number, columns: readonly number[], fn: (row: Row, i: number) => void): void {
  const scratch: Row = new Array<Value>(chunk.format.width).fill(null);
  for (let i = 0; i < m; i++) {
    chunk.format.decodeColumns(chunk.buf, chunk.offsets[i], columns, scratch);
    fn(scratch, i);
  }
}
