/**
 * parquet-wasm, the Node (CommonJS) build: it instantiates its WebAssembly module
 * synchronously on first require, once per thread (each worker thread gets its own instance
 * and memory), so there is no init call and no process-global state to share.
 */
import * as parquetWasm from 'parquet-wasm';

export const wasm = parquetWasm;
export type WasmRecordBatch = parquetWasm.RecordBatch;
export type WasmParquetFile = parquetWasm.ParquetFile;
export type WasmSchema = parquetWasm.Schema;
export type WasmWriterProperties = parquetWasm.WriterProperties;

/** parquet-wasm rejects with strings or Errors; either way, a readable message. */
export function wasmErrorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
