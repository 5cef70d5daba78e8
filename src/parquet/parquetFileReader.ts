/**
 * Reads one local Parquet file as a stream of apache-arrow record batches, never the whole
 * file: parquet-wasm reads the footer, then decodes `batchSize` rows at a time through a
 * Blob handle (`fs.openAsBlob`), which reads byte ranges from disk as they are needed.
 */
import { openAsBlob } from 'node:fs';
import type { RecordBatch, Schema } from 'apache-arrow';
import { HyggeError } from '../errors';
import { wasmBatchToArrow, wasmSchemaToArrow } from './arrowIpc';
import { wasm, wasmErrorMessage, type WasmParquetFile } from './wasm';

export interface ParquetFileHandle {
  /** the file's Arrow schema (all columns) */
  schema: Schema;
  numRows: number;
  /** streams the rows; `columns` projects (file order), `batchSize` bounds memory */
  batches(opts: { batchSize: number; columns?: string[] }): AsyncIterable<RecordBatch>;
  close(): void;
}

/** `name` is how the file is named in errors (its key or URL, not the temp copy). */
export async function openParquetFile(localPath: string, name: string): Promise<ParquetFileHandle> {
  let file: WasmParquetFile;
  let schema: Schema;
  let numRows: number;
  try {
    file = await wasm.ParquetFile.fromFile(await openAsBlob(localPath));
  } catch (err) {
    throw corrupt(name, err);
  }
  try {
    schema = wasmSchemaToArrow(file.schema());
    const metadata = file.metadata();
    const fileMetadata = metadata.fileMetadata();
    numRows = fileMetadata.numRows();
    fileMetadata.free();
    metadata.free();
  } catch (err) {
    file.free();
    throw corrupt(name, err);
  }
  let closed = false;
  const close = () => {
    if (!closed) file.free();
    closed = true;
  };
  return {
    schema,
    numRows,
    close,
    batches: (opts) => streamBatches(file, name, opts),
  };
}

async function* streamBatches(file: WasmParquetFile, name: string, opts: { batchSize: number; columns?: string[] }): AsyncIterable<RecordBatch> {
  let stream: ReadableStream;
  try {
    stream = await file.stream({ batchSize: opts.batchSize, ...(opts.columns ? { columns: opts.columns } : {}) });
  } catch (err) {
    throw corrupt(name, err);
  }
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      let next: { done: boolean; value?: unknown };
      try {
        next = await reader.read();
      } catch (err) {
        finished = true; // an errored stream needs no cancel
        throw corrupt(name, err);
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield* wasmBatchToArrow(next.value as Parameters<typeof wasmBatchToArrow>[0]);
    }
  } finally {
    // stopped early (consumer broke off or failed): stop the decoder too
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function corrupt(name: string, err: unknown): HyggeError {
  return new HyggeError('SOURCE_CORRUPT', `${name} is not a readable Parquet file: ${wasmErrorMessage(err)}`, {
    hint: 'The file may be truncated or still being written; replace it with a complete copy, or remove it from the source folder.',
    context: { file: name },
    cause: err,
  });
}
