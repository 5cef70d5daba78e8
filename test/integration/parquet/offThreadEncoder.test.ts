/**
 * The off-thread encoder keeps encodeParquet's contract: the same file, the source's own
 * error, and a stop that releases the source and the encoder thread's file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { HyggeError } from '../../../src/errors';
import { ParquetEncoderThread } from '../../../src/parquet/offThreadEncoder';
import { encodeParquet } from '../../../src/parquet/parquetEncoder';
import type { ParquetWriteSettings } from '../../../src/parquet/writerProperties';
import { LocalDirStore } from '../../../src/storage/localDirStore';
import { allTypesBatch, readBack, simpleBatch } from './parquetFixtures';

const settings: ParquetWriteSettings = { compression: 'snappy', rowGroupSize: 1000 };

async function* from<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

async function bytesOf(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const all: Uint8Array[] = [];
  for await (const c of chunks) all.push(c);
  return Buffer.concat(all);
}

describe('off-thread Parquet encoder', () => {
  let dir: string;
  let thread: ParquetEncoderThread;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hygge-offthread-'));
    thread = new ParquetEncoderThread();
  });
  afterAll(async () => {
    await thread.terminate();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the same file as the in-thread encoder', async () => {
    const objects = new LocalDirStore(dir);
    for (const [name, batches] of [
      ['types', [allTypesBatch()]],
      ['many', Array.from({ length: 7 }, (_, i) => simpleBatch(900, i * 900))],
    ] as const) {
      const inThread = await bytesOf(encodeParquet(from([...batches]), settings));
      const offThread = await bytesOf(thread.encode(from([...batches]), settings));
      expect(offThread.equals(inThread)).toBe(true);
      await objects.write(`${name}/in.parquet`, from([inThread]));
      await objects.write(`${name}/off.parquet`, from([offThread]));
      const a = await readBack(objects, `${name}/in.parquet`);
      const b = await readBack(objects, `${name}/off.parquet`);
      expect(b.rows).toEqual(a.rows);
      expect(b.schema.fields.map(String)).toEqual(a.schema.fields.map(String));
    }
  });

  it('encodes several files at once on the one thread', async () => {
    const files = await Promise.all([0, 1, 2].map((k) => bytesOf(thread.encode(from([simpleBatch(500, k * 500), simpleBatch(500)]), settings))));
    const expected = await Promise.all([0, 1, 2].map((k) => bytesOf(encodeParquet(from([simpleBatch(500, k * 500), simpleBatch(500)]), settings))));
    files.forEach((f, i) => expect(f.equals(expected[i]!)).toBe(true));
  });

  it("fails with the source's own error", async () => {
    const corrupt = new HyggeError('SOURCE_CORRUPT', 'bad rows');
    async function* failing(): AsyncIterable<RecordBatch> {
      yield simpleBatch(100);
      throw corrupt;
    }
    await expect(bytesOf(thread.encode(failing(), settings))).rejects.toBe(corrupt);
  });

  it('stops on cancel: releases the source and keeps working for the next file', async () => {
    let produced = 0;
    let released = false;
    async function* endless(): AsyncIterable<RecordBatch> {
      try {
        for (;;) {
          produced++;
          yield simpleBatch(2000, produced * 2000);
        }
      } finally {
        released = true;
      }
    }
    for await (const chunk of thread.encode(endless(), { ...settings, rowGroupSize: 1000 })) {
      expect(chunk.byteLength).toBeGreaterThan(0);
      break;
    }
    expect(released).toBe(true);
    // flow control: the source ran only a few batches ahead of the first chunk
    expect(produced).toBeLessThan(10);
    const after = await bytesOf(thread.encode(from([simpleBatch(10)]), settings));
    expect(after.equals(await bytesOf(encodeParquet(from([simpleBatch(10)]), settings)))).toBe(true);
  });
});
