/**
 * Row values from tedious → Arrow column data, one accumulator per result column. Values go
 * straight into preallocated typed arrays (no Arrow Builder per cell, no intermediate objects);
 * `finish` hands the arrays to Arrow and starts fresh ones, so a batch already yielded is
 * never written to again.
 *
 * What tedious gives per SQL type, and how it is made exact:
 * - bigint: a decimal string → BigInt.
 * - decimal/numeric with precision ≤ 15, smallmoney: a JS number whose value × 10^scale is
 *   an integer below 2^53, so rounding recovers it exactly. Larger decimals and money are
 *   selected as text (see readPlan) and parsed digit by digit.
 * - time/datetime2: a Date (ms) plus `nanosecondsDelta`; together they hold every 100 ns tick.
 * - datetimeoffset: selected as text, because tedious drops the offset; parsed to UTC + offset.
 */
import * as arrow from 'apache-arrow';
import { arrowFieldsForSql } from './arrowTypeMap';
import { unscaledFromText, writeDecimal128 } from './decimal128';
import type { SqlType } from './sqlType';
import { MS_PER_DAY, nanosFromTicks, parseSqlDateTimeText, ticksFromTediousDate } from './temporal';

export interface ReadColumn {
  name: string;
  sqlType: SqlType;
  nullable: boolean;
  /** selected as text for an exact value (large decimals, money, datetimeoffset) */
  asText: boolean;
}

export interface ColumnAccumulator {
  readonly fields: arrow.Field[];
  push(value: unknown): void;
  /** the column data of the rows pushed since the last finish */
  finish(): arrow.Data[];
}

type Setter<A> = (values: A, i: number, value: unknown) => void;

/** the typed arrays a column's values are kept in */
export type ColumnArray = Uint8Array | Int16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array;

export class Validity {
  bits: Uint8Array;
  nulls = 0;
  /** `reuse`: the bits of an earlier batch of the same capacity, cleared here */
  constructor(capacity: number, reuse?: Uint8Array) {
    this.bits = reuse ? reuse.fill(0) : new Uint8Array((capacity + 7) >> 3);
  }
  set(i: number): void {
    this.bits[i >> 3]! |= 1 << (i & 7);
  }
}

/** Fixed-width values (numbers, bigints, decimals as words) in a typed array sized for a batch. */
class FixedWidthAccumulator<A extends ColumnArray> implements ColumnAccumulator {
  private values: A;
  private validity: Validity;
  private length = 0;
  constructor(
    readonly fields: arrow.Field[],
    private readonly capacity: number,
    private readonly allocate: (n: number) => A,
    private readonly set: Setter<A>,
  ) {
    this.values = allocate(capacity);
    this.validity = new Validity(capacity);
  }
  push(value: unknown): void {
    const i = this.length++;
    if (value === null || value === undefined) {
      this.validity.nulls++;
      return;
    }
    this.validity.set(i);
    this.set(this.values, i, value);
  }
  finish(): arrow.Data[] {
    const type = this.fields[0]!.type;
    const width = arrow.DataType.isDecimal(type) ? 4 : 1;
    const data = arrow.makeData({
      type,
      length: this.length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.nulls > 0 ? this.validity.bits : undefined,
      data: this.values.subarray(0, this.length * width),
    } as never) as arrow.Data;
    this.values = this.allocate(this.capacity);
    this.validity = new Validity(this.capacity);
    this.length = 0;
    return [data];
  }
}

class BoolAccumulator implements ColumnAccumulator {
  private bits: Uint8Array;
  private validity: Validity;
  private length = 0;
  constructor(readonly fields: arrow.Field[], private readonly capacity: number) {
    this.bits = new Uint8Array((capacity + 7) >> 3);
    this.validity = new Validity(capacity);
  }
  push(value: unknown): void {
    const i = this.length++;
    if (value === null || value === undefined) {
      this.validity.nulls++;
      return;
    }
    this.validity.set(i);
    if (value) this.bits[i >> 3]! |= 1 << (i & 7);
  }
  finish(): arrow.Data[] {
    const data = arrow.makeData({
      type: new arrow.Bool(),
      length: this.length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.nulls > 0 ? this.validity.bits : undefined,
      data: this.bits,
    });
    this.bits = new Uint8Array((this.capacity + 7) >> 3);
    this.validity = new Validity(this.capacity);
    this.length = 0;
    return [data];
  }
}

/** Strings (Utf8) and bytes (Binary): kept as given, encoded once per batch into one buffer. */
class VariableWidthAccumulator implements ColumnAccumulator {
  private items: (string | Buffer | null)[] = [];
  constructor(
    readonly fields: arrow.Field[],
    private readonly capacity: number,
    private readonly binary: boolean,
    private readonly normalise?: (s: string) => string,
  ) {}
  push(value: unknown): void {
    if (value === null || value === undefined) this.items.push(null);
    else if (this.binary) this.items.push(value as Buffer);
    else this.items.push(this.normalise ? this.normalise(String(value)) : (value as string));
  }
  finish(): arrow.Data[] {
    const items = this.items;
    this.items = [];
    const n = items.length;
    const offsets = new Int32Array(n + 1);
    const validity = new Validity(this.capacity);
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const item = items[i];
      if (item === null || item === undefined) validity.nulls++;
      else bytes += typeof item === 'string' ? Buffer.byteLength(item, 'utf8') : item.length;
    }
    const data = Buffer.allocUnsafe(bytes);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const item = items[i];
      if (item !== null && item !== undefined) {
        validity.set(i);
        at += typeof item === 'string' ? data.write(item, at, 'utf8') : item.copy(data, at);
      }
      offsets[i + 1] = at;
    }
    const type = this.fields[0]!.type as arrow.Utf8 | arrow.Binary;
    return [arrow.makeData({
      type,
      length: n,
      nullCount: validity.nulls,
      nullBitmap: validity.nulls > 0 ? validity.bits : undefined,
      valueOffsets: offsets,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    } as never) as arrow.Data];
  }
}

/** datetimeoffset read as text: the UTC instant into one field, the offset into its sibling. */
class DateTimeOffsetAccumulator implements ColumnAccumulator {
  private readonly instant: FixedWidthAccumulator<BigInt64Array<ArrayBuffer>>;
  private readonly offset: FixedWidthAccumulator<Int16Array<ArrayBuffer>>;
  constructor(readonly fields: arrow.Field[], capacity: number, name: string, nanos: boolean) {
    this.instant = new FixedWidthAccumulator([fields[0]!], capacity, (n) => new BigInt64Array(n), (a, i, v) => {
      a[i] = nanos ? nanosFromTicks(v as bigint, name) : (v as bigint) / 10n;
    });
    this.offset = new FixedWidthAccumulator([fields[1]!], capacity, (n) => new Int16Array(n), (a, i, v) => {
      a[i] = v as number;
    });
  }
  push(value: unknown): void {
    if (value === null || value === undefined) {
      this.instant.push(null);
      this.offset.push(null);
      return;
    }
    const parsed = value instanceof Date
      ? { ticks: ticksFromTediousDate(value), offsetMinutes: 0 }
      : parseSqlDateTimeText(String(value));
    this.instant.push(parsed.ticks);
    this.offset.push(parsed.offsetMinutes);
  }
  finish(): arrow.Data[] {
    return [...this.instant.finish(), ...this.offset.finish()];
  }
}

export function createAccumulator(column: ReadColumn, capacity: number): ColumnAccumulator {
  const { name, sqlType: t } = column;
  const fields = arrowFieldsForSql(name, t, column.nullable);
  const fixed = <A extends ColumnArray>(allocate: (n: number) => A, set: Setter<A>) =>
    new FixedWidthAccumulator<A>(fields, capacity, allocate, set);
  switch (t.base) {
    case 'tinyint': return fixed((n) => new Uint8Array(n), (a, i, v) => { a[i] = v as number; });
    case 'smallint': return fixed((n) => new Int16Array(n), (a, i, v) => { a[i] = v as number; });
    case 'int': return fixed((n) => new Int32Array(n), (a, i, v) => { a[i] = v as number; });
    case 'bigint': return fixed((n) => new BigInt64Array(n), (a, i, v) => { a[i] = BigInt(v as string | number | bigint); });
    case 'bit': return new BoolAccumulator(fields, capacity);
    case 'real': return fixed((n) => new Float32Array(n), (a, i, v) => { a[i] = v as number; });
    case 'float': return fixed((n) => new Float64Array(n), (a, i, v) => { a[i] = v as number; });
    case 'decimal': case 'numeric': case 'money': case 'smallmoney': {
      const scale = t.base === 'money' || t.base === 'smallmoney' ? 4 : (t.scale ?? 0);
      const factor = 10 ** scale;
      return fixed((n) => new Uint32Array(n * 4), (a, i, v) => {
        const unscaled = typeof v === 'number' ? BigInt(Math.round(v * factor)) : unscaledFromText(String(v), scale);
        writeDecimal128(a, i, unscaled);
      });
    }
    case 'date':
      return fixed((n) => new Int32Array(n), (a, i, v) => { a[i] = Math.floor((v as Date).getTime() / MS_PER_DAY); });
    case 'time': case 'datetime2': {
      const nanos = (t.scale ?? 7) === 7;
      return fixed((n) => new BigInt64Array(n), (a, i, v) => {
        const ticks = typeof v === 'string' ? parseSqlDateTimeText(v).ticks : ticksFromTediousDate(v as Date);
        a[i] = nanos ? nanosFromTicks(ticks, name) : ticks / 10n;
      });
    }
    case 'datetime': case 'smalldatetime':
      return fixed((n) => new BigInt64Array(n), (a, i, v) => { a[i] = BigInt((v as Date).getTime()) * 1000n; });
    case 'datetimeoffset':
      return new DateTimeOffsetAccumulator(fields, capacity, name, (t.scale ?? 7) === 7);
    case 'uniqueidentifier':
      return new VariableWidthAccumulator(fields, capacity, false, (s) => s.toLowerCase());
    case 'char': case 'varchar': case 'nchar': case 'nvarchar': case 'text': case 'ntext': case 'xml':
      return new VariableWidthAccumulator(fields, capacity, false);
    case 'binary': case 'varbinary': case 'image':
      return new VariableWidthAccumulator(fields, capacity, true);
  }
}

/** Rows → Arrow record batches of at most `capacity` rows, with one schema for all of them. */
export class RecordBatchBuilder {
  readonly schema: arrow.Schema;
  private readonly accumulators: ColumnAccumulator[];
  rows = 0;
  constructor(columns: ReadColumn[], readonly capacity: number) {
    this.accumulators = columns.map((c) => createAccumulator(c, capacity));
    this.schema = new arrow.Schema(this.accumulators.flatMap((a) => a.fields));
  }
  get full(): boolean {
    return this.rows >= this.capacity;
  }
  /** one row's values, in column order */
  push(values: ArrayLike<unknown>): void {
    const accs = this.accumulators;
    for (let i = 0; i < accs.length; i++) accs[i]!.push(values[i]);
    this.rows++;
  }
  finish(): arrow.RecordBatch {
    const children = this.accumulators.flatMap((a) => a.finish());
    const length = this.rows;
    this.rows = 0;
    const data = arrow.makeData({ type: new arrow.Struct(this.schema.fields), length, nullCount: 0, children });
    return new arrow.RecordBatch(this.schema, data);
  }
}
