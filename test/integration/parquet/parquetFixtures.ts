/**
 * Helpers for the Parquet behaviour suite: build batches, write source files through the
 * real encoder, copy an entity home → store (stage + publish) and read a destination back.
 */
import * as A from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import type { RunType } from '../../../src/config/schema';
import type { EntityContext } from '../../../src/homes/home';
import { ParquetHome } from '../../../src/homes/parquetHome';
import { encodeParquet } from '../../../src/parquet/parquetEncoder';
import type { PublishHooks } from '../../../src/parquet/publishProtocol';
import type { ParquetWriteSettings } from '../../../src/parquet/writerProperties';
import type { ObjectStore } from '../../../src/storage/objectStore';
import { ParquetStore } from '../../../src/stores/parquetStore';
import type { StagedWrite } from '../../../src/stores/store';

export interface ColumnSpec {
  type: A.DataType;
  values: unknown[];
  metadata?: Record<string, string>;
}

/** One batch from column specs (all nullable); `schemaMetadata` goes on the schema. */
export function batchOf(columns: Record<string, ColumnSpec>, schemaMetadata: Record<string, string> = {}): RecordBatch {
  const fields: A.Field[] = [];
  const data: A.Data[] = [];
  let length = 0;
  for (const [name, spec] of Object.entries(columns)) {
    fields.push(new A.Field(name, spec.type, true, new Map(Object.entries(spec.metadata ?? {}))));
    const builder = A.makeBuilder({ type: spec.type, nullValues: [null, undefined] });
    for (const v of spec.values) builder.append(v as never);
    data.push(builder.finish().flush());
    length = spec.values.length;
  }
  const schema = new A.Schema(fields, new Map(Object.entries(schemaMetadata)));
  return new A.RecordBatch(schema, A.makeData({ type: new A.Struct(fields), length, nullCount: 0, children: data }));
}

/** `n` rows of (id Int32, name Utf8), ids from `from`. */
export function simpleBatch(n: number, from = 0): RecordBatch {
  const ids = Array.from({ length: n }, (_, i) => from + i);
  return batchOf({ id: { type: new A.Int32(), values: ids }, name: { type: new A.Utf8(), values: ids.map((i) => `row ${i}`) } });
}

/** Every type Parquet can carry for Arrow, one row of values and one row of nulls. */
export function allTypesBatch(): RecordBatch {
  const bytes16 = new Uint8Array(16).map((_, i) => i);
  const col = (type: A.DataType, value: unknown): ColumnSpec => ({ type, values: [value, null] });
  return batchOf({
    bool: col(new A.Bool(), true),
    int8: col(new A.Int8(), -128),
    int16: col(new A.Int16(), -32768),
    int32: col(new A.Int32(), -2147483648),
    int64: col(new A.Int64(), -9223372036854775808n),
    uint8: col(new A.Uint8(), 255),
    uint16: col(new A.Uint16(), 65535),
    uint32: col(new A.Uint32(), 4294967295),
    uint64: col(new A.Uint64(), 18446744073709551615n),
    float32: col(new A.Float32(), 1.5),
    float64: col(new A.Float64(), Math.PI),
    decimal: col(new A.Decimal(4, 19, 128), new Uint32Array([123456789, 0, 0, 0])),
    date32: col(new A.DateDay(), new Date(Date.UTC(2024, 1, 29))),
    date64: col(new A.DateMillisecond(), new Date(Date.UTC(2024, 1, 29))),
    ts_s: col(new A.TimestampSecond(), 1_700_000_000_000),
    ts_ms: col(new A.TimestampMillisecond(), 1_700_000_000_123),
    ts_us_utc: col(new A.TimestampMicrosecond('UTC'), 1_700_000_000_123),
    ts_ns_zone: col(new A.TimestampNanosecond('Europe/Copenhagen'), 1_700_000_000_123),
    time_s: col(new A.TimeSecond(), 3600),
    time_ms: col(new A.TimeMillisecond(), 3_600_123),
    time_us: col(new A.TimeMicrosecond(), 3_600_123_456n),
    time_ns: col(new A.TimeNanosecond(), 3_600_123_456_789n),
    binary: col(new A.Binary(), new Uint8Array([0, 1, 255])),
    large_binary: col(new A.LargeBinary(), new Uint8Array([9, 8])),
    fixed16: col(new A.FixedSizeBinary(16), bytes16),
    utf8: col(new A.Utf8(), 'søster 😀'),
    large_utf8: col(new A.LargeUtf8(), 'large'),
    dictionary: col(new A.Dictionary(new A.Utf8(), new A.Int32()), 'red'),
    list: col(new A.List(new A.Field('item', new A.Int32(), true)), [1, null, 3]),
    struct: col(new A.Struct([new A.Field('a', new A.Int32(), true), new A.Field('b', new A.Utf8(), true)]), { a: 1, b: 'x' }),
    map: col(new A.Map_(new A.Field('entries', new A.Struct<{ key: A.Utf8; value: A.Int32 }>([new A.Field('key', new A.Utf8(), false), new A.Field('value', new A.Int32(), true)]), false)), new Map([['k', 1]])),
    duration_ms: col(new A.DurationMillisecond(), 5_000n),
    nothing: col(new A.Null(), null),
  });
}

/** Writes `batches` as one Parquet object (through the real encoder). */
export async function writeParquetObject(
  objects: ObjectStore,
  key: string,
  batches: RecordBatch[],
  settings: ParquetWriteSettings = { compression: 'snappy', rowGroupSize: 1024 },
): Promise<void> {
  async function* all() {
    yield* batches;
  }
  await objects.write(key, encodeParquet(all(), settings));
}

export interface CopyOptions {
  from: string;
  to: string;
  runType?: RunType;
  runId?: string;
  columns?: string[];
  batchSize?: number;
  rowsPerFile?: number;
  rowGroupSize?: number;
  compression?: ParquetWriteSettings['compression'];
  hooks?: PublishHooks;
  /** wraps the home's batches (e.g. to fail after N batches) */
  through?: (batches: AsyncIterable<RecordBatch>) => AsyncIterable<RecordBatch>;
  signal?: AbortSignal;
  /** stage only; the caller publishes or discards */
  stageOnly?: boolean;
}

let runCounter = 0;

/** home → store for entity `e` of flow `f`: stage, then publish (unless stageOnly). */
export async function copyEntity(objects: ObjectStore, o: CopyOptions): Promise<StagedWrite> {
  const ctx: EntityContext = { runId: o.runId ?? `run-${String(runCounter++).padStart(4, '0')}`, flow: 'f', entity: 'e', signal: o.signal };
  const home = new ParquetHome({ objects, path: o.from, columns: o.columns, batchSize: o.batchSize ?? 1024 });
  const store = new ParquetStore({
    objects,
    path: o.to,
    runType: o.runType ?? 'full_drop',
    settings: { compression: o.compression ?? 'snappy', rowGroupSize: o.rowGroupSize ?? 1024 },
    rowsPerFile: o.rowsPerFile ?? 1_000_000,
    hooks: o.hooks,
  });
  const batches = home.read(ctx);
  const staged = await store.stage(o.through ? o.through(batches) : batches, ctx);
  if (!o.stageOnly) await staged.publish();
  return staged;
}

/** Reads every row of a file/folder/glob (through ParquetHome). */
export async function readBack(objects: ObjectStore, path: string, columns?: string[]): Promise<{ schema: A.Schema; rows: unknown[]; batches: RecordBatch[] }> {
  const home = new ParquetHome({ objects, path, columns, batchSize: 1024 });
  const batches: RecordBatch[] = [];
  for await (const b of home.read({ runId: 'read', flow: 'f', entity: 'e' })) batches.push(b);
  const rows = batches.flatMap((b) => b.toArray().map((r) => JSON.parse(JSON.stringify(r, plain))));
  return { schema: batches[0]!.schema, rows, batches };
}

/** JSON-friendly values: bigints and bytes as arrays/strings, so rows compare with toEqual. */
export function plain(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (ArrayBuffer.isView(value)) return Array.from(value as Uint8Array, (x) => (typeof x === 'bigint' ? `${x}n` : x));
  return value;
}

export function rowsOf(batch: RecordBatch): unknown[] {
  return batch.toArray().map((r) => JSON.parse(JSON.stringify(r, plain)));
}

/** What a reader can observe at a destination folder: every key below it and every row. */
export async function destinationState(objects: ObjectStore, path: string): Promise<{ keys: string[]; rows: unknown[] }> {
  const keys = (await objects.list(`${path}/`)).map((o) => o.key.slice(path.length + 1));
  const visible = keys.filter((k) => k.endsWith('.parquet') && !k.includes('/'));
  const rows = visible.length ? (await readBack(objects, path)).rows : [];
  return { keys, rows };
}
