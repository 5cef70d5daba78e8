/**
 * Encodes a stream of apache-arrow batches into the bytes of one Parquet file, streaming:
 * parquet-wasm's `transformParquetStream` pulls wasm batches from a ReadableStream (one batch
 * converted at a time, high-water mark 0, so nothing is read ahead) and emits the file's
 * bytes as row groups complete. Memory stays around one row group plus one batch.
 */
import type { RecordBatch } from 'apache-arrow';
import { releaseBatch } from '../arrow/batchRelease';
import { arrowBatchToWasm } from './arrowIpc';
import { HyggeError } from '../errors';
import { wasm, wasmErrorMessage, type WasmRecordBatch } from './wasm';
import { buildWriterProperties, type ParquetWriteSettings } from './writerProperties';

export async function* encodeParquet(batches: AsyncIterable<RecordBatch>, settings: ParquetWriteSettings): AsyncIterable<Uint8Array> {
  const source = batches[Symbol.asyncIterator]();
  // parquet-wasm turns a failing source into its own string error; keep the original so the
  // caller sees e.g. the home's SOURCE_CORRUPT or a cancellation, not "stream errored".
  let sourceError: { err: unknown } | undefined;
  const input = new ReadableStream<WasmRecordBatch>(
    {
      async pull(controller) {
        try {
          const next = await source.next();
          if (next.done) return controller.close();
          for (const wasmBatch of arrowBatchToWasm(next.value)) controller.enqueue(wasmBatch);
          releaseBatch(next.value); // copied into wasm: its arrays may carry the next batch
        } catch (err) {
          sourceError = { err };
          controller.error(err);
        }
      },
      async cancel() {
        await source.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  const output = await wasm.transformParquetStream(input, buildWriterProperties(settings));
  const reader = (output as ReadableStream<Uint8Array>).getReader();
  let done = false;
  try {
    for (;;) {
      let chunk: { done: boolean; value?: Uint8Array };
      try {
        chunk = await reader.read();
      } catch (err) {
        done = true;
        if (sourceError) throw sourceError.err;
        throw new HyggeError('INTERNAL', `could not encode Parquet: ${wasmErrorMessage(err)}`, {
          hint: 'A column type Parquet cannot store? Cast or leave out that column (home columns:), or report it.',
          cause: err,
        });
      }
      if (chunk.done) {
        done = true;
        return;
      }
      if (sourceError) throw sourceError.err;
      yield chunk.value!;
    }
  } finally {
    if (!done) {
      await reader.cancel().catch(() => {});
      await source.return?.(undefined);
    }
    reader.releaseLock();
  }
}
