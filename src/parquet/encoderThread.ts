/**
 * The body of a Parquet encoder thread: encodes files for the entity thread that started it,
 * so that thread can decode the next rows (TDS → Arrow) while this one compresses and writes
 * the previous ones; on 2 cores the two halves overlap instead of taking turns.
 *
 * Several files may be open at once (every entity on the entity thread shares this thread);
 * each gets its own parquet-wasm `transformParquetStream`, fed from the IPC buffers the
 * entity thread sends. The sender holds a batch slot per batch until it is `taken` (three
 * for all files, see offThreadEncoder.ts), so memory here stays around one row group per open
 * file plus three batches, whatever the number of files.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { FromEncoder, ToEncoder } from './encoderMessages';
import { wasm, wasmErrorMessage, type WasmRecordBatch } from './wasm';
import { buildWriterProperties } from './writerProperties';

interface OpenFile {
  /** IPC streams received and not yet pulled by the writer; `null` marks the end */
  pending: ({ ipc: ArrayBuffer; length: number } | null)[];
  /** the writer's pull, waiting for the next buffer */
  wake?: () => void;
  cancelled: boolean;
  reader?: ReadableStreamDefaultReader<Uint8Array>;
}

export function serveEncoderThread(port: MessagePort): void {
  const files = new Map<number, OpenFile>();
  const send = (message: FromEncoder, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer ?? []);

  const encode = async (id: number, file: OpenFile, settings: Parameters<typeof buildWriterProperties>[0]) => {
    const input = new ReadableStream<WasmRecordBatch>(
      {
        async pull(controller) {
          while (file.pending.length === 0 && !file.cancelled) await new Promise<void>((resolve) => (file.wake = resolve));
          if (file.cancelled) return controller.error(new Error('cancelled'));
          const next = file.pending.shift()!;
          if (next === null) return controller.close();
          const table = wasm.Table.fromIPCStream(new Uint8Array(next.ipc, 0, next.length));
          try {
            for (const batch of table.recordBatches()) controller.enqueue(batch);
          } finally {
            table.free();
          }
          // wasm holds its own copy now: the buffer goes back to carry a later batch
          send({ type: 'taken', id, ipc: next.ipc }, [next.ipc]);
        },
      },
      // nothing read ahead: the sender's batch slots are the only buffer
      { highWaterMark: 0 },
    );
    const output = (await wasm.transformParquetStream(input, buildWriterProperties(settings))) as ReadableStream<Uint8Array>;
    const reader = output.getReader();
    file.reader = reader;
    for (;;) {
      const chunk = await reader.read();
      if (file.cancelled) return;
      if (chunk.done) return send({ type: 'done', id });
      // transfer, not copy; a view into a larger (or wasm) buffer is copied out first
      const bytes =
        chunk.value.byteOffset === 0 && chunk.value.byteLength === chunk.value.buffer.byteLength && chunk.value.buffer instanceof ArrayBuffer
          ? chunk.value.buffer
          : chunk.value.slice().buffer;
      send({ type: 'chunk', id, bytes }, [bytes]);
    }
  };

  port.on('message', (message: ToEncoder) => {
    switch (message.type) {
      case 'open': {
        const file: OpenFile = { pending: [], cancelled: false };
        files.set(message.id, file);
        encode(message.id, file, message.settings).then(
          () => files.delete(message.id),
          (err: unknown) => {
            files.delete(message.id);
            if (!file.cancelled) send({ type: 'error', id: message.id, message: wasmErrorMessage(err) });
          },
        );
        break;
      }
      case 'batch':
      case 'end': {
        const file = files.get(message.id);
        if (!file) break;
        file.pending.push(message.type === 'batch' ? { ipc: message.ipc, length: message.length } : null);
        file.wake?.();
        file.wake = undefined;
        break;
      }
      case 'cancel': {
        const file = files.get(message.id);
        if (!file) break;
        file.cancelled = true;
        file.pending.length = 0;
        file.wake?.();
        file.wake = undefined;
        void file.reader?.cancel().catch(() => {});
        break;
      }
    }
  });
}

if (parentPort) serveEncoderThread(parentPort);
