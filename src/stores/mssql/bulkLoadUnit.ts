/**
 * One bulk-load call: rows [start, end) of one record batch into the staging table, on one
 * session, WITH (TABLOCK). The rows go to tedious as a synchronous iterable, so tedious
 * serialises them without an event-loop turn per row; the row object is a constant and the
 * cells are written by the bound bulk columns straight from Arrow (bulkColumns.ts).
 */
import type * as arrow from 'apache-arrow';
import type { BulkLoad, Connection } from 'tedious';
import type { SqlType } from '../../arrow/sqlType';
import { bulkColumnsFor, type Cursor } from './bulkColumns';

export function bulkLoadUnit(
  connection: Connection,
  stagingName: string,
  batch: arrow.RecordBatch,
  sqlTypes: SqlType[],
  start: number,
  end: number,
  timeoutMs: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const cursor: Cursor = { row: start };
    const columns = bulkColumnsFor(batch.schema, sqlTypes, cursor);
    const bulk: BulkLoad = connection.newBulkLoad(stagingName, { lockTable: true, keepNulls: true }, (err, rowCount) => {
      if (err) reject(err);
      else resolve(rowCount ?? end - start);
    });
    bulk.setTimeout(timeoutMs);
    for (const c of columns) {
      // tedious puts the name between brackets without escaping: escape `]` here
      bulk.addColumn(c.name.replace(/]/g, ']]'), c.type as never, c.options);
      c.bind(batch);
    }
    const row: unknown[] = new Array(columns.length).fill(0);
    const rows: Iterable<unknown[]> = {
      [Symbol.iterator]() {
        let next = start;
        return {
          next() {
            if (next >= end) return { done: true, value: undefined };
            cursor.row = next++;
            return { done: false, value: row };
          },
        };
      },
    };
    connection.execBulkLoad(bulk, rows as never);
  });
}
