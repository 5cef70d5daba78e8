/**
 * The per-batch column storage the TDS row decoder writes into: fixed-width typed arrays and
 * variable-width (offsets + bytes) columns, handed to Arrow as they are at `finish`, so a
 * batch already yielded is never written to again (the next batch's `start` takes other
 * arrays). Its arrays are lent with the batch: when the batch's last reader releases it
 * (batchRelease.ts) they go back to the thread's pool (arrayPool.ts) and carry a later
 * batch, of this table or the next.
 */
import * as arrow from 'apache-arrow';
import { onRelease } from '../../../arrow/batchRelease';
import { Validity, type ColumnArray } from '../../../arrow/columnAccumulators';
import { giveArray, takeArray, type ColumnArrayType } from './arrayPool';

/**
 * The arrays of one decoder's outputs: those taken for the batch being filled, lent with it
 * when it is finished. Outputs take arrays when a batch's first row arrives (`start`), not
 * when the previous batch is finished, so a decoder waiting for its consumer holds none.
 */
export class BatchArrays {
  private filling: ColumnArray[] = [];

  constructor(readonly capacity: number) {}

  take<A extends ColumnArray>(type: ColumnArrayType<A>, length: number, orLonger = false): A {
    const array = takeArray(type, length, orLonger);
    this.filling.push(array);
    return array;
  }

  /** `old` outgrown: a larger array of its type with its first `used` elements */
  grow<A extends ColumnArray>(old: A, length: number, used: number): A {
    const bigger = this.take(old.constructor as ColumnArrayType<A>, length, true);
    (bigger as Uint8Array).set((old as Uint8Array).subarray(0, used));
    this.filling.splice(this.filling.indexOf(old), 1);
    giveArray(old); // only the bigger copy can be in a batch
    return bigger;
  }

  /** `batch` is finished: releasing it gives its arrays back */
  seal(batch: arrow.RecordBatch): void {
    const lent = this.filling;
    this.filling = [];
    onRelease(batch, () => lent.forEach(giveArray));
  }
}

/** Fixed-width values; `words` is an Int32 view of the same memory (Int64 and Decimal128 cells are written as 32-bit words). */
export class FixedOutput<A extends ColumnArray> {
  values!: A;
  words!: Int32Array;
  validity!: Validity;
  constructor(
    readonly field: arrow.Field,
    private readonly arrays: BatchArrays,
    /** array elements per value (4 for Decimal128 as Uint32) */
    private readonly width: number,
    private readonly type: ColumnArrayType<A>,
  ) {}
  /** a batch's first row is coming */
  start(): void {
    this.values = this.arrays.take(this.type, this.arrays.capacity * this.width);
    this.words = new Int32Array(this.values.buffer, this.values.byteOffset, this.values.byteLength >> 2);
    this.validity = newValidity(this.arrays);
  }
  setNull(): void {
    this.validity.nulls++;
  }
  finish(length: number): arrow.Data {
    const data = arrow.makeData({
      type: this.field.type,
      length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.nulls > 0 ? this.validity.bits : undefined,
      data: this.values.subarray(0, length * this.width),
    } as never) as arrow.Data;
    return data;
  }
}

/** Bits (Arrow Bool). */
export class BoolOutput {
  bits!: Uint8Array;
  validity!: Validity;
  constructor(readonly field: arrow.Field, private readonly arrays: BatchArrays) {}
  /** a batch's first row is coming */
  start(): void {
    this.bits = this.arrays.take(Uint8Array, (this.arrays.capacity + 7) >> 3).fill(0);
    this.validity = newValidity(this.arrays);
  }
  finish(length: number): arrow.Data {
    const data = arrow.makeData({
      type: new arrow.Bool(),
      length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.nulls > 0 ? this.validity.bits : undefined,
      data: this.bits,
    });
    return data;
  }
}

/** Utf8 or Binary: value bytes appended to one growing buffer, offsets per row. */
export class VariableOutput {
  offsets!: Int32Array;
  bytes!: Uint8Array;
  /** bytes written so far */
  at = 0;
  validity!: Validity;
  /** the byte buffer's size for the next batch: what the last one grew to */
  private bytesPerBatch: number;
  constructor(readonly field: arrow.Field, private readonly arrays: BatchArrays, initialBytes: number) {
    this.bytesPerBatch = initialBytes;
  }
  /** a batch's first row is coming */
  start(): void {
    this.offsets = this.arrays.take(Int32Array, this.arrays.capacity + 1);
    this.offsets[0] = 0; // rows write offsets[row + 1] only
    this.bytes = this.arrays.take(Uint8Array, this.bytesPerBatch, true);
    this.at = 0;
    this.validity = newValidity(this.arrays);
  }
  /** room for n more bytes */
  ensure(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    this.bytesPerBatch = Math.max(this.bytes.length * 2, this.at + n);
    this.bytes = this.arrays.grow(this.bytes, this.bytesPerBatch, this.at);
  }
  /** closes row `row` after its bytes were appended (none for NULL) */
  end(row: number): void {
    this.offsets[row + 1] = this.at;
  }
  finish(length: number): arrow.Data {
    const data = arrow.makeData({
      type: this.field.type,
      length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.nulls > 0 ? this.validity.bits : undefined,
      valueOffsets: this.offsets.subarray(0, length + 1),
      data: this.bytes.subarray(0, this.at),
    } as never) as arrow.Data;
    return data;
  }
}

/** validity bits for a batch, all clear (a pooled array holds an earlier batch's) */
function newValidity(arrays: BatchArrays): Validity {
  return new Validity(arrays.capacity, arrays.take(Uint8Array, (arrays.capacity + 7) >> 3));
}
