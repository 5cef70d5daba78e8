/**
 * One query's rows as Arrow record batches, with backpressure: the tedious request is paused
 * as soon as a batch is full and resumed only when the consumer asks for the next one, so at
 * most one batch (plus the rows of one network packet) is held in memory.
 */
import type * as arrow from 'apache-arrow';
import { Request, type Connection } from 'tedious';
import { RecordBatchBuilder, type ReadColumn } from '../../arrow/columnAccumulators';
import type { SqlParameter } from '../../connections/mssql/execute';

export async function* streamRows(
  connection: Connection,
  sql: string,
  params: SqlParameter[],
  columns: ReadColumn[],
  batchSize: number,
  signal?: AbortSignal,
): AsyncGenerator<arrow.RecordBatch> {
  const builder = new RecordBatchBuilder(columns, batchSize);
  const ready: arrow.RecordBatch[] = [];
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const values: unknown[] = new Array(columns.length);
  const request = new Request(sql, (err) => {
    if (err) failure = err;
    finished = true;
    notify();
  });
  request.on('row', (cells: { value: unknown }[]) => {
    for (let i = 0; i < cells.length; i++) values[i] = cells[i]!.value;
    builder.push(values);
    if (builder.full) {
      ready.push(builder.finish());
      request.pause();
      notify();
    }
  });
  for (const p of params) request.addParameter(p.name, p.type, p.value, p.options);
  connection.execSql(request);
  const onAbort = () => connection.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  let complete = false;
  try {
    for (;;) {
      if (ready.length > 0) {
        yield ready.shift()!;
        if (ready.length === 0 && !finished) request.resume();
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure) throw failure;
    if (builder.rows > 0) yield builder.finish();
    complete = true;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!complete && !finished) {
      // the consumer stopped early or failed: stop the server sending and wait for the request to end
      request.resume();
      connection.cancel();
      while (!finished) await new Promise<void>((resolve) => { wake = resolve; });
    }
  }
}
