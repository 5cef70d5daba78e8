/**
 * `encodeParquet` on another thread: the same contract (Arrow batches in, the bytes of one
 * Parquet file out, HyggeErrors, cancellation by stopping the iteration), but the Arrow →
 * Parquet work runs on an encoder thread, so the calling thread can go on producing rows.
 * Worth it when producing rows costs CPU too (SQL Server → Parquet decodes TDS); Parquet →
 * Parquet keeps encoding in-thread, where it scales by running entities on several threads.
 *
 * Batches cross as Arrow IPC streams in transferred buffers (one copy: the serialisation,
 * which the in-thread encoder pays as well), which come back to carry later batches; Parquet
 * bytes come back transferred too.
 * Flow control keeps memory bounded end to end, whatever the number of files open at once:
 * a file reads its next batch only with a batch slot (BATCH_SLOTS for all files of this
 * encoder thread, held from reading a batch until the writer takes it), and not while
 * MAX_QUEUED_CHUNKS Parquet chunks wait for the reader (a slow destination slows the source
 * instead of filling memory). Files without a slot have no batch in memory at all: their
 * source is paused (for SQL Server, TCP holds the server).
 */
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { RecordBatch } from 'apache-arrow';
import { releaseBatch } from '../arrow/batchRelease';
import { spawnWorker } from '../engine/spawnWorker';
import { HyggeError } from '../errors';
import type { FromEncoder, ToEncoder } from './encoderMessages';
import { IpcBufferPool } from './ipcBufferPool';
import type { ParquetWriteSettings } from './writerProperties';

/**
 * Batches being read or waiting for a writer, for all files of one encoder thread. Three keep
 * both threads busy: one encoding, one queued, one being decoded. Measured on 50 tables ×
 * 200,000 rows with five read at once: a per-file limit of two (ten batches for five files)
 * peaked at ~360 MB RSS, this at ~300 MB, at the same rows/s.
 */
const BATCH_SLOTS = 3;
/** a single file still overlaps decoding its next batch with encoding this one */
const MAX_SLOTS_PER_FILE = 2;
const MAX_QUEUED_CHUNKS = 4;

/** One file being encoded: what the encoder thread sent back, and the flow-control state. */
class FileHandle {
  /** batch slots held: a batch being read, or sent and not yet taken by the writer */
  slots = 0;
  readonly chunks: Uint8Array[] = [];
  /** set once: the file is complete, failed, or given up */
  end?: { done: true } | { error: unknown };
  /** the pump and the reader may both be waiting */
  private waiters: (() => void)[] = [];

  /** resolves on the next event for this file (a chunk, a slot freed, the end, a chunk read) */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/**
 * An encoder thread, shared by every entity of one run on one thread (RunResources): started
 * on the first file, not before, so runs that never encode pay nothing.
 */
export class ParquetEncoderThread {
  private worker?: Worker;
  private readonly files = new Map<number, FileHandle>();
  private nextId = 0;
  private terminated = false;
  /** slots held by all files (see BATCH_SLOTS) */
  private slotsInUse = 0;
  /** the buffers batches cross in, back from the encoder thread once read (see IpcBufferPool) */
  readonly ipcBuffers = new IpcBufferPool(BATCH_SLOTS);

  /** Encodes `batches` into one Parquet file on the encoder thread. */
  encode(batches: AsyncIterable<RecordBatch>, settings: ParquetWriteSettings): AsyncIterable<Uint8Array> {
    return encodeOffThread(this, batches, settings);
  }

  /** @internal */
  open(settings: ParquetWriteSettings): { id: number; file: FileHandle } {
    if (this.terminated) throw new Error('the Parquet encoder thread has been terminated');
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    const file = new FileHandle();
    this.files.set(id, file);
    // keep the process alive only while a file is open: an idle encoder must not hold up exit
    if (this.files.size === 1) worker.ref();
    this.post({ type: 'open', id, settings });
    return { id, file };
  }

  /** @internal */
  post(message: ToEncoder, transfer?: ArrayBuffer[]): void {
    this.worker?.postMessage(message, transfer ?? []);
  }

  /** @internal `file` may read a batch: it can take a slot */
  hasSlotFor(file: FileHandle): boolean {
    return file.slots < MAX_SLOTS_PER_FILE && this.slotsInUse < BATCH_SLOTS;
  }

  /** @internal */
  takeSlot(file: FileHandle): void {
    file.slots++;
    this.slotsInUse++;
  }

  /** @internal `file` holds `count` fewer slots; every file may be waiting for one */
  freeSlots(file: FileHandle, count = 1): void {
    const freed = Math.min(count, file.slots);
    if (freed === 0) return;
    file.slots -= freed;
    this.slotsInUse -= freed;
    for (const waiting of this.files.values()) waiting.notify();
  }

  /** @internal the file is finished on this side: its slots are free, forget it */
  close(id: number): void {
    const file = this.files.get(id);
    if (!file) return;
    this.freeSlots(file, file.slots);
    this.files.delete(id);
    if (this.files.size === 0) this.worker?.unref();
  }

  async terminate(): Promise<void> {
    this.terminated = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('the Parquet encoder thread was stopped'));
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const worker = spawnWorker(path.join(__dirname, 'encoderThread'));
    worker.unref();
    worker.on('message', (message: FromEncoder) => {
      if (message.type === 'taken') this.ipcBuffers.giveBack(message.ipc);
      const file = this.files.get(message.id);
      if (!file || file.end) return;
      switch (message.type) {
        case 'taken':
          this.freeSlots(file);
          break;
        case 'chunk':
          file.chunks.push(new Uint8Array(message.bytes));
          break;
        case 'done':
          file.end = { done: true };
          break;
        case 'error':
          file.end = { error: encodingError(message.message) };
          break;
      }
      file.notify();
    });
    // a crash (wasm out of memory, say) fails the files it was encoding; the next file starts a new thread
    const crashed = (err: unknown) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(encodingError(err instanceof Error ? err.message : String(err)));
    };
    worker.on('error', crashed);
    worker.on('exit', (code) => crashed(new Error(`the Parquet encoder thread exited (code ${code})`)));
    return worker;
  }

  private failAll(err: unknown): void {
    for (const file of this.files.values()) {
      file.end ??= { error: err };
      file.notify();
    }
  }
}

async function* encodeOffThread(
  thread: ParquetEncoderThread,
  batches: AsyncIterable<RecordBatch>,
  settings: ParquetWriteSettings,
): AsyncIterable<Uint8Array> {
  const source = batches[Symbol.asyncIterator]();
  const { id, file } = thread.open(settings);
  let sourceDone = false;

  // Feeds the encoder thread while this generator hands chunks to its reader: the two run
  // concurrently, which is what lets decoding the next batch overlap encoding this one.
  const pump = async () => {
    try {
      for (;;) {
        while (!file.end && (!thread.hasSlotFor(file) || file.chunks.length >= MAX_QUEUED_CHUNKS)) await file.changed();
        if (file.end) return;
        // held until the writer takes the batch; a file that ends frees its slots (close)
        thread.takeSlot(file);
        const next = await source.next();
        if (file.end) return;
        if (next.done) {
          thread.freeSlots(file);
          sourceDone = true;
          thread.post({ type: 'end', id });
          return;
        }
        const { buffer, length } = thread.ipcBuffers.write(next.value);
        releaseBatch(next.value); // copied out: its arrays may carry the next batch
        thread.post({ type: 'batch', id, ipc: buffer, length }, [buffer]);
      }
    } catch (err) {
      // the source's own error (the home's SOURCE_CORRUPT, a cancellation) is what the caller sees
      sourceDone = true;
      if (!file.end) {
        file.end = { error: err };
        file.notify();
      }
    }
  };
  const pumping = pump();

  let complete = false;
  try {
    for (;;) {
      if (file.chunks.length > 0) {
        const chunk = file.chunks.shift()!;
        file.notify(); // room in the queue: the pump may send again
        yield chunk;
        continue;
      }
      if (file.end) {
        if ('error' in file.end) throw file.end.error;
        complete = true;
        return;
      }
      await file.changed();
    }
  } finally {
    if (!complete) {
      file.end ??= { error: new Error('stopped') };
      thread.post({ type: 'cancel', id });
      file.notify();
    }
    thread.close(id);
    await pumping;
    // stopped early (reader gave up, encoder failed): release the source as encodeParquet does
    if (!sourceDone) await source.return?.(undefined);
  }
}

function encodingError(message: string): HyggeError {
  return new HyggeError('INTERNAL', `could not encode Parquet: ${message}`, {
    hint: 'A column type Parquet cannot store? Cast or leave out that column (home columns:), or report it.',
    cause: message,
  });
}
