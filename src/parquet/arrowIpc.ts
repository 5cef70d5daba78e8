/**
 * Moving record batches across the wasm boundary as Arrow IPC streams.
 *
 * wasm → JS: `intoIPCStream()` consumes the wasm batch (its memory is released) and copies
 * it into one JS buffer; apache-arrow then reads that buffer zero-copy (typed-array views).
 * JS → wasm: apache-arrow serialises the batch to IPC and parquet-wasm reads it into wasm
 * memory; the JS buffer is garbage as soon as the call returns.
 */
import { RecordBatch, Schema, Struct, Table, makeBuilder, makeData, tableFromIPC, tableToIPC } from 'apache-arrow';
import { wasm, type WasmRecordBatch, type WasmSchema } from './wasm';

/** Consumes `batch` (do not use or free it afterwards). Usually one batch comes back. */
export function wasmBatchToArrow(batch: WasmRecordBatch): RecordBatch[] {
  return tableFromIPC(batch.intoIPCStream()).batches;
}

/** A wasm copy of `batch`; the caller owns it (hand it to the writer, or free it). */
export function arrowBatchToWasm(batch: RecordBatch): WasmRecordBatch[] {
  const table = wasm.Table.fromIPCStream(tableToIPC(new Table([batch]), 'stream'));
  try {
    return table.recordBatches();
  } finally {
    table.free();
  }
}

/** The schema of a parquet-wasm Schema (consumed). */
export function wasmSchemaToArrow(schema: WasmSchema): Schema {
  return tableFromIPC(schema.intoIPCStream()).schema;
}

/** A zero-row batch that still carries the schema: how an empty table travels. */
export function emptyBatch(schema: Schema): RecordBatch {
  const children = schema.fields.map((f) => makeBuilder({ type: f.type }).finish().flush());
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 0, nullCount: 0, children }));
}
