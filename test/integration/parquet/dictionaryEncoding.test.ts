/**
 * The writer's dictionary choice (writerProperties.ts): low-cardinality columns keep their
 * dictionaries, unique ones fall back to plain encoding early. DuckDB's parquet_metadata() reads
 * the encodings hygge's files declare, so the check is independent of parquet-wasm.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as A from 'apache-arrow';
import { encodeParquet } from '../../../src/parquet/parquetEncoder';
import { DICTIONARY_PAGE_SIZE_LIMIT } from '../../../src/parquet/writerProperties';
import { LocalDirStore } from '../../../src/storage/localDirStore';

const ROWS = 100_000;

function batch(): A.RecordBatch {
  return new A.RecordBatch({
    id: A.makeVector(BigInt64Array.from({ length: ROWS }, (_, i) => BigInt(i))).data[0]!,
    status: A.vectorFromArray(Array.from({ length: ROWS }, (_, i) => ['open', 'closed', 'pending'][i % 3]!), new A.Utf8()).data[0]!,
    name: A.vectorFromArray(Array.from({ length: ROWS }, (_, i) => `customer number ${i}`), new A.Utf8()).data[0]!,
  });
}

describe('Parquet dictionary encoding', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hygge-dict-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps dictionaries for low-cardinality columns and stores unique columns plain', async () => {
    async function* batches() {
      yield batch();
    }
    await new LocalDirStore(dir).write('t.parquet', encodeParquet(batches(), { compression: 'snappy', rowGroupSize: ROWS }));
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const file = path.join(dir, 't.parquet').replace(/'/g, "''");
      // a dictionary page comes first in its column chunk, so its size is where the data starts
      const rows = (await conn.runAndReadAll(
        `SELECT path_in_schema, data_page_offset - dictionary_page_offset, total_uncompressed_size FROM parquet_metadata('${file}')`,
      )).getRows();
      const chunk = new Map(rows.map((r) => [String(r[0]), { dictionaryBytes: Number(r[1]), bytes: Number(r[2]) }]));
      // three values: a tiny dictionary, and 2-bit indexes instead of 100k plain strings (~1 MB)
      expect(chunk.get('status')!.dictionaryBytes).toBeLessThan(1024);
      expect(chunk.get('status')!.bytes).toBeLessThan(100_000);
      // unique columns give up at the limit instead of holding every value (800 KB of ids)
      for (const unique of ['id', 'name']) {
        expect(chunk.get(unique)!.dictionaryBytes).toBeLessThanOrEqual(DICTIONARY_PAGE_SIZE_LIMIT + 1024);
        expect(chunk.get(unique)!.bytes).toBeGreaterThan(ROWS * 8);
      }
      expect(Number((await conn.runAndReadAll(`SELECT count(DISTINCT name) FROM '${file}'`)).getRows()[0]![0])).toBe(ROWS);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});
