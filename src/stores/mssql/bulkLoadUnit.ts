/**
 * One bulk-load call: rows [start, end) of one record batch into the staging table, on one
 * session, WITH (TABLOCK, KEEP_NULLS).
 *
 * tedious declares the load (INSERT BULK with the column list) and sends the BULK_LOAD
 * message, but hygge encodes the message body itself: COLMETADATA (from tedious), then the
 * ROW tokens of many rows per chunk written straight from Arrow (bulkColumns.ts), then DONE.
 * tedious's own row path costs a stream write, a promise and a tick per row and small
 * Buffers per cell. The body replaces the BulkLoad's row stream, which tedious reads as an
 * async iterable of Buffers; it is produced lazily, so backpressure from the socket holds
 * at most a chunk or two in memory.
 */
import { Readable } from 'node:stream';
import type * as arrow from 'apache-arrow';
import type { BulkLoad, Connection } from 'tedious';
import type { SqlType } from '../../arrow/sqlType';
import { quoteIdentifier } from '../../sql/identifier';
import { bulkColumnsFor, type BulkColumn, type Collation } from './bulkColumns';
import { TdsBuffer } from './tdsBuffer';

const ROW_TOKEN = 0xd1;
const CHUNK_BYTES = 256 * 1024;

interface BulkLoadInternals {
  getColMetaData(): Buffer;
  createDoneToken(): Buffer;
  streamingMode: boolean;
  rowToPacketTransform: Readable;
  columns: { name: string; type: { declaration(c: unknown): string } }[];
  getOptionsSql(): string;
  getBulkInsertSql(): string;
}

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
    const columns = bulkColumnsFor(batch.schema, sqlTypes);
    const bulk: BulkLoad = connection.newBulkLoad(stagingName, { lockTable: true, keepNulls: true }, (err, rowCount) => {
      if (err) reject(err);
      else resolve(rowCount ?? end - start);
    });
    bulk.setTimeout(timeoutMs);
    const collation = (connection as unknown as { databaseCollation?: Collation }).databaseCollation;
    for (const c of columns) {
      bulk.addColumn(c.name, c.type as never, c.options);
      c.bind(batch, collation);
    }
    const internals = bulk as unknown as BulkLoadInternals;
    // tedious puts column names between brackets without escaping `]`; COLMETADATA keeps the raw names
    internals.getBulkInsertSql = () =>
      `insert bulk ${stagingName}(${internals.columns.map((c) => `${quoteIdentifier(c.name)} ${c.type.declaration(c)}`).join(', ')})${internals.getOptionsSql()}`;
    // streaming mode: execBulkLoad then leaves the row stream to us
    internals.streamingMode = true;
    internals.rowToPacketTransform = Readable.from(encodeBody(internals, columns, start, end), { objectMode: false });
    // no rows argument: in streaming mode tedious reads the body from rowToPacketTransform
    (connection as unknown as { execBulkLoad(b: BulkLoad): void }).execBulkLoad(bulk);
  });
}

function* encodeBody(bulk: BulkLoadInternals, columns: BulkColumn[], start: number, end: number): Generator<Buffer> {
  yield bulk.getColMetaData();
  const buffer = new TdsBuffer(CHUNK_BYTES + 64 * 1024);
  const n = columns.length;
  for (let row = start; row < end; row++) {
    buffer.writeUInt8(ROW_TOKEN);
    for (let i = 0; i < n; i++) columns[i]!.write(buffer, row);
    if (buffer.length >= CHUNK_BYTES) yield buffer.take();
  }
  if (buffer.length > 0) yield buffer.take();
  yield bulk.createDoneToken();
}
