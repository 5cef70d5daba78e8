/**
 * One query's rows as Arrow record batches, with backpressure: at most one batch is being
 * filled while the consumer holds the previous one.
 *
 * Two ways to get the rows, chosen by the columns (see usesRowDecoder):
 * - the row decoder (tds/): ROW/NBCROW tokens decoded straight into Arrow arrays inside
 *   tedious's token parser; the parser waits while a full batch is with the consumer.
 * - tedious's 'row' event with JS values into columnAccumulators, pausing the request when a
 *   batch is full; for results with max/LOB columns, which the decoder leaves to tedious.
 */
import type * as arrow from 'apache-arrow';
import { Request, type Connection } from 'tedious';
import { RecordBatchBuilder, type ReadColumn } from '../../arrow/columnAccumulators';
import type { SqlParameter } from '../../connections/mssql/execute';
import { fastReadable } from './tds/cellReaders';
import { ArrowRowSink } from './tds/rowSink';
import { attachRowSink } from './tds/tediousRowSeam';

/** true when every column is read by the row decoder (then nothing is selected as text) */
export function usesRowDecoder(columns: readonly ReadColumn[]): boolean {
  return columns.every((c) => !c.asText && fastReadable(c.sqlType));
}

/** how a request's rows become batches: the push side of streamRows */
interface RowSource {
  /** the consumer took a batch and wants the next */
  resume(): void;
  /** the consumer stopped early: let the request run to its end without keeping rows */
  drop(): void;
  /** the rows after the last full batch, once the request has ended */
  remainder(): arrow.RecordBatch | undefined;
}

export async function* streamRows(
  connection: Connection,
  sql: string,
  params: SqlParameter[],
  columns: ReadColumn[],
  batchSize: number,
  signal?: AbortSignal,
): AsyncGenerator<arrow.RecordBatch> {
  const ready: arrow.RecordBatch[] = [];
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onBatch = (batch: arrow.RecordBatch) => {
    ready.push(batch);
    notify();
  };
  let detach: (() => void) | undefined;
  const request = new Request(sql, (err) => {
    detach?.();
    if (err) failure ??= err;
    finished = true;
    notify();
  });
  let source: RowSource;
  if (usesRowDecoder(columns)) {
    const sink = new ArrowRowSink(columns, batchSize, {
      batch: onBatch,
      failure: (err) => {
        failure ??= err;
        connection.cancel();
      },
    });
    detach = attachRowSink(connection, sink);
    // a cancel (ours, a timeout, an abort) must not find the parser waiting for the consumer
    request.on('cancel', () => sink.skipRest());
    source = { resume: () => sink.resume(), drop: () => sink.skipRest(), remainder: () => sink.remainder() };
  } else {
    source = tediousRows(request, columns, batchSize, onBatch);
  }
  for (const p of params) request.addParameter(p.name, p.type, p.value, p.options);
  try {
    connection.execSql(request);
  } catch (err) {
    detach?.();
    throw err;
  }
  const onAbort = () => connection.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  let complete = false;
  try {
    for (;;) {
      if (ready.length > 0) {
        yield ready.shift()!;
        if (ready.length === 0 && !finished) source.resume();
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure) throw failure;
    const last = source.remainder();
    if (last) yield last;
    complete = true;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!complete && !finished) {
      // the consumer stopped early or failed: stop the server sending and wait for the request to end
      source.drop();
      connection.cancel();
      while (!finished) await new Promise<void>((resolve) => { wake = resolve; });
    }
  }
}

/** tedious's 'row' events → accumulators, pausing the request while a full batch waits */
function tediousRows(request: Request, columns: ReadColumn[], batchSize: number, onBatch: (b: arrow.RecordBatch) => void): RowSource {
  const builder = new RecordBatchBuilder(columns, batchSize);
  const values: unknown[] = new Array(columns.length);
  request.on('row', (cells: { value: unknown }[]) => {
    for (let i = 0; i < cells.length; i++) values[i] = cells[i]!.value;
    builder.push(values);
    if (builder.full) {
      request.pause();
      onBatch(builder.finish());
    }
  });
  return {
    resume: () => request.resume(),
    drop: () => request.resume(),
    remainder: () => (builder.rows > 0 ? builder.finish() : undefined),
  };
}
