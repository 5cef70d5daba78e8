/**
 * The TDS row decoder lends its arrays with each batch and fills them again once the batch is
 * released (src/arrow/batchRelease.ts): released arrays must come back cleared of the old
 * batch's nulls, and a batch that was not released (or only a slice of it) must never be
 * written over.
 */
import type * as arrow from 'apache-arrow';
import { releaseBatch } from '../../../src/arrow/batchRelease';
import type { ReadColumn } from '../../../src/arrow/columnAccumulators';
import { requireSqlType } from '../../../src/arrow/sqlType';
import type { TdsColumnMeta } from '../../../src/homes/mssql/tds/cellReaders';
import { RowDecoder } from '../../../src/homes/mssql/tds/rowDecoder';

type Row = [number | null, boolean | null, string | null];

const metas: TdsColumnMeta[] = [
  { colName: 'i', type: { name: 'IntN' }, dataLength: 4 },
  { colName: 'b', type: { name: 'BitN' }, dataLength: 1 },
  { colName: 's', type: { name: 'NVarChar' }, dataLength: 100, collation: { codepage: 'CP1252' } },
];
const columns: ReadColumn[] = [
  { name: 'i', sqlType: requireSqlType('int'), nullable: true, asText: false },
  { name: 'b', sqlType: requireSqlType('bit'), nullable: true, asText: false },
  { name: 's', sqlType: requireSqlType('nvarchar(50)'), nullable: true, asText: false },
];

/** one ROW token body as TDS sends it */
function rowBody([i, b, s]: Row): Buffer {
  const int = i === null ? Buffer.from([0]) : Buffer.concat([Buffer.from([4]), int32(i)]);
  const bit = b === null ? Buffer.from([0]) : Buffer.from([1, b ? 1 : 0]);
  const text = s === null ? Buffer.from([0xff, 0xff]) : Buffer.concat([uint16(Buffer.byteLength(s, 'utf16le')), Buffer.from(s, 'utf16le')]);
  return Buffer.concat([int, bit, text]);
}
const int32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32LE(n); return b; };
const uint16 = (n: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; };

function batchOf(decoder: RowDecoder, rows: Row[]): arrow.RecordBatch {
  for (const row of rows) {
    const body = rowBody(row);
    expect(decoder.rowEnd(body, 0, body.length, false)).toBe(body.length);
    decoder.decode(body);
  }
  return decoder.finish();
}

const valuesOf = (batch: arrow.RecordBatch) => batch.toArray().map((r) => [r.i, r.b, r.s]);
const intBuffer = (batch: arrow.RecordBatch) => batch.getChild('i')!.data[0]!.values.buffer;

const first: Row[] = [[null, true, 'ä'], [2, null, null], [3, false, 'drei'], [4, true, 'vier']];
const second: Row[] = [[5, false, 'fünf'], [6, true, 'sechs'], [7, null, 'sieben'], [8, false, null]];
const third: Row[] = [[9, true, 'neun'], [10, false, 'zehn'], [null, null, 'elf'], [12, true, 'zwölf']];

test('released arrays carry the next batch, with the earlier nulls cleared', () => {
  const decoder = new RowDecoder(metas, columns, 4);
  const b1 = batchOf(decoder, first);
  releaseBatch(b1);
  // arrays are taken when a batch's first row arrives: b2 gets b1's, back in the pool
  const b2 = batchOf(decoder, second);
  expect(intBuffer(b2)).toBe(intBuffer(b1));
  expect(valuesOf(b2)).toEqual([[5, false, 'fünf'], [6, true, 'sechs'], [7, null, 'sieben'], [8, false, null]]);
  releaseBatch(b2);
  const b3 = batchOf(decoder, third);
  expect(intBuffer(b3)).toBe(intBuffer(b1));
  expect(valuesOf(b3)).toEqual([[9, true, 'neun'], [10, false, 'zehn'], [null, null, 'elf'], [12, true, 'zwölf']]);
});

test('a batch that is not released is never written over', () => {
  const decoder = new RowDecoder(metas, columns, 4);
  const b1 = batchOf(decoder, first);
  const expected = valuesOf(b1);
  // only a slice is "released": it shares b1's arrays, so it must not give them back
  releaseBatch(b1.slice(0, 2));
  const later = [batchOf(decoder, second), batchOf(decoder, third), batchOf(decoder, second)];
  for (const b of later) releaseBatch(b);
  expect(valuesOf(b1)).toEqual(expected);
  expect(later.map(intBuffer)).not.toContain(intBuffer(b1));
});
