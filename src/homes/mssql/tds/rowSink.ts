/**
 * The rows of one query, decoded from tedious's token stream parser into Arrow batches, with
 * backpressure: when a batch is full the sink hands it on and does not return to the parser
 * until the consumer asks for the next one. While it waits, tedious reads no further tokens,
 * the message stream fills and the socket stops being read (TCP flow control holds the
 * server), so at most one batch being filled, one handed on and a few packets are in memory.
 *
 * A failure while decoding (e.g. a datetime2(7) outside what nanoseconds hold) is kept for the
 * consumer; the remaining rows are then skipped, not decoded, until the request ends.
 */
import type * as arrow from 'apache-arrow';
import type { ReadColumn } from '../../../arrow/columnAccumulators';
import { HyggeError } from '../../../errors';
import type { TdsColumnMeta } from './cellReaders';
import { RowDecoder } from './rowDecoder';
import type { RowSink, TdsStreamParser } from './tediousRowSeam';

const ROW = 0xd1;
const NBCROW = 0xd2;

export interface RowSinkEvents {
  batch(batch: arrow.RecordBatch): void;
  failure(err: unknown): void;
}

export class ArrowRowSink implements RowSink {
  private decoder: RowDecoder | undefined;
  private decoderFor: readonly TdsColumnMeta[] | undefined;
  private skipping = false;
  private wakeParser: (() => void) | undefined;

  constructor(
    private readonly columns: readonly ReadColumn[],
    private readonly capacity: number,
    private readonly events: RowSinkEvents,
  ) {}

  readRows(parser: TdsStreamParser, nbc: boolean): Promise<void> | undefined {
    const decoder = this.decoderOf(parser.colMetadata);
    return decoder ? this.read(parser, nbc, decoder) : undefined;
  }

  private async read(parser: TdsStreamParser, nbc: boolean, decoder: RowDecoder): Promise<void> {
    for (;;) {
      const end = decoder.rowEnd(parser.buffer, parser.position, parser.buffer.length, nbc);
      if (end < 0) {
        await parser.waitForChunk(); // the rest of the row is in the next packet
        continue;
      }
      if (!this.skipping) {
        try {
          decoder.decode(parser.buffer);
        } catch (err) {
          this.fail(err);
        }
      }
      parser.position = end;
      if (decoder.full) {
        const batch = decoder.finish();
        if (!this.skipping) {
          this.events.batch(batch);
          await new Promise<void>((resolve) => { this.wakeParser = resolve; });
        }
      }
      // consecutive rows in this buffer are read here; anything else goes back to tedious
      const next = parser.buffer[parser.position];
      if (parser.position >= parser.buffer.length || (next !== ROW && next !== NBCROW)) return;
      nbc = next === NBCROW;
      parser.position++;
    }
  }

  /** the consumer wants the next batch */
  resume(): void {
    const wake = this.wakeParser;
    this.wakeParser = undefined;
    wake?.();
  }

  /** no more batches wanted (consumer gone, request cancelled or failed): skip the rest */
  skipRest(): void {
    this.skipping = true;
    this.resume();
  }

  /** the rows decoded since the last full batch, when the request has ended */
  remainder(): arrow.RecordBatch | undefined {
    return this.decoder && this.decoder.rows > 0 && !this.skipping ? this.decoder.finish() : undefined;
  }

  /** the decoder for this result set; none (tedious then reads the rows, unseen) after a failure to make one */
  private decoderOf(metas: readonly TdsColumnMeta[]): RowDecoder | undefined {
    if (this.decoderFor === metas) return this.decoder;
    this.decoder = undefined;
    if (this.decoderFor !== undefined) {
      this.fail(new HyggeError('SOURCE_CORRUPT', 'the query returned more than one result set', { hint: 'Make the query a single SELECT.' }));
      return undefined;
    }
    this.decoderFor = metas;
    try {
      this.decoder = new RowDecoder(metas, this.columns, this.capacity);
    } catch (err) {
      this.fail(err);
    }
    return this.decoder;
  }

  private fail(err: unknown): void {
    if (this.skipping) return;
    this.skipping = true;
    this.events.failure(err);
  }
}
