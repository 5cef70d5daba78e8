/**
 * The per-batch column storage the TDS row decoder writes into: fixed-width typed arrays and
 * variable-width (offsets + bytes) columns, handed to Arrow as they are at `finish` and then
 * replaced, so a batch already yielded is never written to again.
 */
import * as arrow from 'apache-arrow';
import { Validity } from '../../../arrow/columnAccumulators';

export type FixedArray = Uint8Array | Int16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array;

/** Fixed-width values; `words` is an Int32 view of the same memory (Int64 and Decimal128 cells are written as 32-bit words). */
export class FixedOutput<A extends FixedArray> {
  values!: A;
  words!: Int32Array;
  validity!: Validity;
  constructor(
    readonly field: arrow.Field,
    private readonly capacity: number,
    /** array elements per value (4 for Decimal128 as Uint32) */
    private readonly width: number,
    private readonly allocate: (n: number) => A,
  ) {
    this.reset();
  }
  private reset(): void {
    this.values = this.allocate(this.capacity * this.width);
    this.words = new Int32Array(this.values.buffer, 0, this.values.byteLength >> 2);
    this.validity = new Validity(this.capacity);
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
    this.reset();
    return data;
  }
}

/** Bits (Arrow Bool). */
export class BoolOutput {
  bits!: Uint8Array;
  validity!: Validity;
  constructor(readonly field: arrow.Field, private readonly capacity: number) {
    this.reset();
  }
  private reset(): void {
    this.bits = new Uint8Array((this.capacity + 7) >> 3);
    this.validity = new Validity(this.capacity);
  }
  finish(length: number): arrow.Data {
    const data = arrow.makeData({
      type: new arrow.Bool(),
      length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.nulls > 0 ? this.validity.bits : undefined,
      data: this.bits,
    });
    this.reset();
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
  constructor(readonly field: arrow.Field, private readonly capacity: number, private readonly initialBytes: number) {
    this.reset();
  }
  private reset(): void {
    this.offsets = new Int32Array(this.capacity + 1);
    this.bytes = new Uint8Array(this.initialBytes);
    this.at = 0;
    this.validity = new Validity(this.capacity);
  }
  /** room for n more bytes */
  ensure(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.at + n));
    bigger.set(this.bytes.subarray(0, this.at));
    this.bytes = bigger;
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
      // a copy of just the used bytes: the spare capacity would otherwise stay alive with the batch
      data: this.bytes.slice(0, this.at),
    } as never) as arrow.Data;
    this.reset();
    return data;
  }
}
