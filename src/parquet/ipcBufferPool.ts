/**
 * Arrow IPC streams written into reused buffers. `tableToIPC` concatenates each batch into a
 * fresh buffer; on the SQL Server → Parquet path that is a multi-megabyte allocation per
 * batch, freed on another thread only when its garbage collector gets round to it, and glibc
 * then keeps the freed memory in that thread's arena: measured on 50 tables × 200,000 rows,
 * most of the peak RSS above the live data was such arenas. Here the serialised chunks (views
 * into the batch's own column buffers, plus small message headers) are copied into a buffer
 * the encoder thread hands back once wasm has read it, so the same few buffers carry every
 * batch of a run.
 */
import { RecordBatchStreamWriter, Table, type RecordBatch } from 'apache-arrow';

/** apache-arrow's stream writer, keeping the chunks it writes instead of queueing them. */
class ChunkCollector extends RecordBatchStreamWriter {
  readonly chunks: Uint8Array[] = [];
  bytes = 0;
  protected override _write(chunk: ArrayBufferView | string): this {
    if (!this._started || typeof chunk === 'string' || chunk.byteLength === 0) return this;
    this.chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.bytes += chunk.byteLength;
    this._position += chunk.byteLength;
    return this;
  }
}

/** A few spare buffers; a batch goes into one at least as large as it needs, or a new one. */
export class IpcBufferPool {
  private readonly spares: ArrayBuffer[] = [];

  constructor(private readonly maxSpares: number) {}

  /** `batch` as one IPC stream (schema, batch, end marker) in bytes [0, length) of `buffer` */
  write(batch: RecordBatch): { buffer: ArrayBuffer; length: number } {
    const collector = new ChunkCollector();
    collector.writeAll(new Table([batch]));
    const length = collector.bytes;
    const buffer = this.take(length);
    const target = new Uint8Array(buffer);
    let at = 0;
    for (const chunk of collector.chunks) {
      target.set(chunk, at);
      at += chunk.byteLength;
    }
    return { buffer, length };
  }

  /** a buffer from `write` that is no longer read */
  giveBack(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0) return; // detached: it went elsewhere
    if (this.spares.length < this.maxSpares) this.spares.push(buffer);
  }

  private take(length: number): ArrayBuffer {
    const i = this.spares.findIndex((b) => b.byteLength >= length);
    if (i >= 0) return this.spares.splice(i, 1)[0]!;
    // a spare too small for this batch would be too small for the next ones as well
    this.spares.pop();
    // headroom: batches of one table differ a little in size (text columns, the last batch)
    return new ArrayBuffer(Math.ceil(length * 1.25));
  }
}
