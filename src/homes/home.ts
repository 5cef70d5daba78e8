import type { RecordBatch } from 'apache-arrow';

/** Per-entity context handed to homes and stores. */
export interface EntityContext {
  runId: string;
  flow: string;
  entity: string;
  signal?: AbortSignal;
  /** the last successful run's watermark (serialised), for incremental reads */
  previousWatermark?: string;
}

/**
 * A source. `read` yields Arrow record batches lazily; the consumer's pace is the
 * backpressure (the home pauses its driver while a batch is not taken).
 */
export interface Home {
  read(ctx: EntityContext): AsyncIterable<RecordBatch>;
  /** after `read` finished: the highest watermark value seen, serialised; undefined if none */
  watermark?(): string | undefined;
}
