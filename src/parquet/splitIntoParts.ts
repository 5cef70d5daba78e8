/**
 * Cuts one stream of batches into consecutive parts of at most `rowsPerPart` rows (slicing a
 * batch at the boundary, zero-copy), for rolling over to a new file. Each part must be read
 * to the end before asking for the next one. Zero-row batches only carry the schema: when the
 * whole stream has no rows, one part holding a zero-row batch comes out, so the destination
 * still gets a file with the schema (an empty table, not a missing one). No batches at all
 * (no schema known) gives no parts.
 */
import type { RecordBatch } from 'apache-arrow';

export async function* splitIntoParts(batches: AsyncIterable<RecordBatch>, rowsPerPart: number): AsyncIterable<AsyncIterable<RecordBatch>> {
  const source = batches[Symbol.asyncIterator]();
  let pending: RecordBatch | undefined;
  let schemaOnly: RecordBatch | undefined;
  let exhausted = false;
  let parts = 0;

  /** the next batch with rows, remembering the schema of empty ones */
  const peek = async (): Promise<RecordBatch | undefined> => {
    while (!pending && !exhausted) {
      const next = await source.next();
      if (next.done) exhausted = true;
      else if (next.value.numRows > 0) pending = next.value;
      else schemaOnly ??= next.value;
    }
    return pending;
  };

  async function* part(): AsyncIterable<RecordBatch> {
    let rows = 0;
    while (rows < rowsPerPart) {
      const batch = await peek();
      if (!batch) return;
      const room = rowsPerPart - rows;
      if (batch.numRows <= room) {
        pending = undefined;
        rows += batch.numRows;
        yield batch;
      } else {
        pending = batch.slice(room);
        rows += room;
        yield batch.slice(0, room);
      }
    }
  }

  try {
    while (await peek()) {
      parts++;
      yield part();
    }
    if (parts === 0 && schemaOnly) {
      const only = schemaOnly;
      yield (async function* () {
        yield only;
      })();
    }
  } finally {
    if (!exhausted) await source.return?.(undefined);
  }
}
