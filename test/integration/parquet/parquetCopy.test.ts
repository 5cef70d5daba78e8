/**
 * Parquet home → Parquet store, one behaviour suite over both object stores (local directory
 * and Azure Blob on Azurite). Real parquet-wasm, real Azurite, no mocks.
 */
import * as A from 'apache-arrow';
import { openAsBlob } from 'node:fs';
import { Readable } from 'node:stream';
import { HyggeError } from '../../../src/errors';
import { ParquetHome } from '../../../src/homes/parquetHome';
import { ParquetStore } from '../../../src/stores/parquetStore';
import { wasm } from '../../../src/parquet/wasm';
import type { ObjectStore } from '../../../src/storage/objectStore';
import { objectStoreTargets, type TargetEnv } from '../storage/objectStoreTargets';
import {
  allTypesBatch,
  batchOf,
  copyEntity,
  destinationState,
  readBack,
  rowsOf,
  simpleBatch,
  writeParquetObject,
} from './parquetFixtures';

async function failure(p: Promise<unknown>): Promise<HyggeError> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof HyggeError)) throw err;
    return err;
  }
  throw new Error('expected a HyggeError');
}

/** Codec of the first column chunk of every row group of one object. */
async function codecsOf(objects: ObjectStore, key: string): Promise<number[]> {
  const copy = await objects.localCopy(key);
  try {
    const file = await wasm.ParquetFile.fromFile(await openAsBlob(copy.path));
    const meta = file.metadata();
    const codecs = meta.rowGroups().map((rg) => rg.column(0).compression());
    meta.free();
    file.free();
    return codecs;
  } finally {
    await copy.release();
  }
}

describe.each(objectStoreTargets())('Parquet → Parquet on $name', (target) => {
  let env: TargetEnv;
  let objects: ObjectStore;
  beforeAll(async () => {
    env = await target.start();
  }, 30_000);
  afterAll(() => env?.stop());
  beforeEach(async () => {
    objects = await env.fresh();
  });

  it('carries every type, a null in each, field and schema metadata', async () => {
    const source = allTypesBatch();
    const withMeta = new A.RecordBatch(
      new A.Schema(
        source.schema.fields.map((f) => (f.name === 'decimal' ? f.clone({ metadata: new Map([['hygge.sql_type', 'money']]) }) : f)),
        new Map([['hygge.source', 'dbo.orders']]),
      ),
      source.data,
    );
    await writeParquetObject(objects, 'in/types.parquet', [withMeta]);
    await copyEntity(objects, { from: 'in/types.parquet', to: 'out/e' });
    const back = await readBack(objects, 'out/e');
    expect(back.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(source.schema.fields.map((f) => `${f.name}:${f.type}`));
    expect(back.rows).toEqual(rowsOf(source));
    expect(back.rows[1]).toEqual(Object.fromEntries(source.schema.fields.map((f) => [f.name, null])));
    expect(back.schema.fields.find((f) => f.name === 'decimal')!.metadata.get('hygge.sql_type')).toBe('money');
    expect(back.schema.metadata.get('hygge.source')).toBe('dbo.orders');
  });

  it('writes an empty source as an empty table with its schema', async () => {
    await writeParquetObject(objects, 'in/empty.parquet', [simpleBatch(0)]);
    const staged = await copyEntity(objects, { from: 'in/empty.parquet', to: 'out/e' });
    expect(staged).toMatchObject({ rows: 0, parts: 1 });
    expect((await destinationState(objects, 'out/e')).keys).toEqual(['part-00000.parquet']);
    const back = await readBack(objects, 'out/e');
    expect(back.rows).toEqual([]);
    expect(back.schema.fields.map((f) => f.name)).toEqual(['id', 'name']);
  });

  it('copies a single row and 500 columns', async () => {
    const wide = batchOf(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`c${i}`, { type: new A.Int32(), values: [i] }])));
    await writeParquetObject(objects, 'in/wide.parquet', [wide]);
    const staged = await copyEntity(objects, { from: 'in/wide.parquet', to: 'out/e' });
    expect(staged).toMatchObject({ rows: 1, parts: 1 });
    const back = await readBack(objects, 'out/e');
    expect(back.schema.fields).toHaveLength(500);
    expect(back.rows).toEqual(rowsOf(wide));
  });

  it('handles unicode paths and column names', async () => {
    const batch = batchOf({ prénom: { type: new A.Utf8(), values: ['Zoë'] }, '名前 😀': { type: new A.Int64(), values: [7n] } });
    await writeParquetObject(objects, 'données/ñ 😀/in.parquet', [batch]);
    await copyEntity(objects, { from: 'données/ñ 😀', to: 'sortie/é 😀' });
    expect((await destinationState(objects, 'sortie/é 😀')).keys).toEqual(['part-00000.parquet']);
    expect((await readBack(objects, 'sortie/é 😀')).rows).toEqual([{ prénom: 'Zoë', '名前 😀': '7n' }]);
  });

  it('reads a folder (sorted, hidden entries skipped) and a glob', async () => {
    await writeParquetObject(objects, 'in/b.parquet', [simpleBatch(2, 10)]);
    await writeParquetObject(objects, 'in/a.parquet', [simpleBatch(2, 0)]);
    await writeParquetObject(objects, 'in/sub/c.parquet', [simpleBatch(1, 20)]);
    await writeParquetObject(objects, 'in/_hygge_staging/x/d.parquet', [simpleBatch(1, 99)]);
    await objects.write('in/_SUCCESS', Readable.from([Buffer.from('')]));
    const folder = await readBack(objects, 'in');
    expect(folder.rows.map((r) => (r as { id: number }).id)).toEqual([0, 1, 10, 11, 20]);
    const glob = await readBack(objects, 'in/*.parquet');
    expect(glob.rows.map((r) => (r as { id: number }).id)).toEqual([0, 1, 10, 11]);
    const deep = await readBack(objects, 'in/**/c.parquet');
    expect(deep.rows.map((r) => (r as { id: number }).id)).toEqual([20]);
  });

  it('projects columns, in the order asked for, and names an unknown one', async () => {
    await writeParquetObject(objects, 'in/x.parquet', [simpleBatch(3)]);
    await copyEntity(objects, { from: 'in/x.parquet', to: 'out/e', columns: ['name', 'id'] });
    const back = await readBack(objects, 'out/e');
    expect(back.schema.fields.map((f) => f.name)).toEqual(['name', 'id']);
    expect(back.rows[2]).toEqual({ name: 'row 2', id: 2 });
    const err = await failure(copyEntity(objects, { from: 'in/x.parquet', to: 'out/e2', columns: ['id', 'nmae'] }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('nmae');
    expect(err.message).toContain('"name"');
  });

  it('reports a missing source path with the path and the entity', async () => {
    const err = await failure(copyEntity(objects, { from: 'nowhere/e', to: 'out/e' }));
    expect(err.code).toBe('SOURCE_NOT_FOUND');
    expect(err.context).toMatchObject({ flow: 'f', entity: 'e' });
    expect(err.describe()).toContain('nowhere/e');
    expect(await objects.list('out/')).toEqual([]);
  });

  it('reports files of one entity with different schemas', async () => {
    await writeParquetObject(objects, 'in/a.parquet', [simpleBatch(1)]);
    await writeParquetObject(objects, 'in/b.parquet', [batchOf({ id: { type: new A.Int64(), values: [1n] } })]);
    const err = await failure(copyEntity(objects, { from: 'in', to: 'out/e' }));
    expect(err.code).toBe('SCHEMA_MISMATCH');
    expect(err.context.file).toContain('in/b.parquet');
    expect(await objects.list('out/')).toEqual([]);
  });

  it.each([
    ['not Parquet at all', (bytes: Buffer) => Buffer.from('this is a CSV file, really\n1,2,3\n')],
    ['truncated', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2))],
    ['with a damaged footer', (bytes: Buffer) => Buffer.concat([bytes.subarray(0, bytes.length - 12), Buffer.alloc(12, 0xff)])],
  ])('reports a source file %s as SOURCE_CORRUPT and publishes nothing', async (_label, damage) => {
    await writeParquetObject(objects, 'out/e/part-00000.parquet', [simpleBatch(2)]);
    await writeParquetObject(objects, 'in/good.parquet', [simpleBatch(3000)]);
    const copy = await objects.localCopy('in/good.parquet');
    const bytes = Buffer.from(await (await openAsBlob(copy.path)).arrayBuffer());
    await copy.release();
    await objects.write('in/later.parquet', Readable.from([damage(bytes)]));
    const err = await failure(copyEntity(objects, { from: 'in', to: 'out/e' }));
    expect(err.code).toBe('SOURCE_CORRUPT');
    expect(err.context.file).toContain('in/later.parquet');
    expect(err.context.entity).toBe('e');
    const state = await destinationState(objects, 'out/e');
    expect(state.keys).toEqual(['part-00000.parquet']);
    expect(state.rows).toHaveLength(2);
  });

  it('reports an unwritable destination with its path, before publishing anything', async () => {
    // the source is in a writable store; the destination is the unwritable one
    const destination = await env.unwritable();
    await writeParquetObject(objects, 'in/x.parquet', [simpleBatch(1)]);
    const ctx = { runId: 'r', flow: 'f', entity: 'e' };
    const batches = new ParquetHome({ objects, path: 'in/x.parquet', batchSize: 10 }).read(ctx);
    const store = new ParquetStore({
      objects: destination.objects,
      path: destination.path,
      runType: 'full_drop',
      settings: { compression: 'snappy', rowGroupSize: 10 },
      rowsPerFile: 10,
    });
    const err = await failure(store.stage(batches, ctx));
    expect(err.code).toBe('DESTINATION_NOT_WRITABLE');
    expect(err.context.file).toContain(destination.path);
    expect(err.context.entity).toBe('e');
    expect(err.hint).toBeTruthy();
  });

  it('rolls over into parts of rows_per_file rows, with row groups of row_group_size', async () => {
    await writeParquetObject(objects, 'in/x.parquet', [simpleBatch(10)]);
    const staged = await copyEntity(objects, { from: 'in/x.parquet', to: 'out/e', rowsPerFile: 4, rowGroupSize: 3, batchSize: 3 });
    expect(staged).toMatchObject({ rows: 10, parts: 3 });
    expect((await destinationState(objects, 'out/e')).keys).toEqual(['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet']);
    expect(await codecsOf(objects, 'out/e/part-00000.parquet')).toHaveLength(2); // 4 rows in groups of 3
    expect((await readBack(objects, 'out/e')).rows.map((r) => (r as { id: number }).id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it.each([
    ['snappy', wasm.Compression.SNAPPY],
    ['zstd', wasm.Compression.ZSTD],
    ['gzip', wasm.Compression.GZIP],
    ['none', wasm.Compression.UNCOMPRESSED],
  ] as const)('compresses with %s', async (compression, codec) => {
    await writeParquetObject(objects, 'in/x.parquet', [simpleBatch(100)]);
    await copyEntity(objects, { from: 'in/x.parquet', to: 'out/e', compression });
    expect(await codecsOf(objects, 'out/e/part-00000.parquet')).toEqual([codec]);
    expect((await readBack(objects, 'out/e')).rows).toHaveLength(100);
  });

  it('full_drop replaces the previous parts; incremental adds parts after them', async () => {
    await writeParquetObject(objects, 'in/big.parquet', [simpleBatch(10)]);
    await writeParquetObject(objects, 'in2/small.parquet', [simpleBatch(3, 100)]);
    await copyEntity(objects, { from: 'in/big.parquet', to: 'out/e', rowsPerFile: 4 });
    await copyEntity(objects, { from: 'in2/small.parquet', to: 'out/e', runType: 'full_drop' });
    let state = await destinationState(objects, 'out/e');
    expect(state.keys).toEqual(['part-00000.parquet']);
    expect(state.rows.map((r) => (r as { id: number }).id)).toEqual([100, 101, 102]);

    await copyEntity(objects, { from: 'in/big.parquet', to: 'out/e', runType: 'incremental', rowsPerFile: 4 });
    state = await destinationState(objects, 'out/e');
    expect(state.keys).toEqual(['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet', 'part-00003.parquet']);
    expect(state.rows).toHaveLength(13);
  });

  it('an interrupted run publishes nothing and cleans up; a rerun ends as an uninterrupted run', async () => {
    await writeParquetObject(objects, 'in/x.parquet', [simpleBatch(50)]);
    await writeParquetObject(objects, 'out/e/part-00000.parquet', [simpleBatch(2, 900)]);
    const before = await destinationState(objects, 'out/e');

    const abort = new AbortController();
    let seen = 0;
    const err = await failure(
      copyEntity(objects, {
        from: 'in/x.parquet',
        to: 'out/e',
        batchSize: 5,
        rowsPerFile: 20,
        signal: abort.signal,
        through: async function* (batches) {
          for await (const b of batches) {
            if (++seen === 6) abort.abort(); // mid-entity: one part already staged
            yield b;
          }
        },
      }),
    );
    expect(err.code).toBe('CANCELLED');
    expect(await destinationState(objects, 'out/e')).toEqual(before);

    await copyEntity(objects, { from: 'in/x.parquet', to: 'out/e', batchSize: 5, rowsPerFile: 20 });
    const rerun = await destinationState(objects, 'out/e');

    const reference = await env.fresh();
    await writeParquetObject(reference, 'in/x.parquet', [simpleBatch(50)]);
    await writeParquetObject(reference, 'out/e/part-00000.parquet', [simpleBatch(2, 900)]);
    await copyEntity(reference, { from: 'in/x.parquet', to: 'out/e', batchSize: 5, rowsPerFile: 20 });
    expect(rerun).toEqual(await destinationState(reference, 'out/e'));
    expect(rerun.keys).toEqual(['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet']);
  });

  it('a failure from the source inside stage removes the staging', async () => {
    await writeParquetObject(objects, 'in/x.parquet', [simpleBatch(30)]);
    const err = await failure(
      copyEntity(objects, {
        from: 'in/x.parquet',
        to: 'out/e',
        batchSize: 5,
        rowsPerFile: 10,
        through: async function* (batches) {
          let n = 0;
          for await (const b of batches) {
            if (++n === 4) throw new HyggeError('SOURCE_CORRUPT', 'boom');
            yield b;
          }
        },
      }),
    );
    expect(err.message).toBe('boom');
    expect(await objects.list('out/')).toEqual([]);
  });

  it('discard removes staged parts and leaves the published data', async () => {
    await writeParquetObject(objects, 'in/x.parquet', [simpleBatch(5)]);
    await writeParquetObject(objects, 'out/e/part-00000.parquet', [simpleBatch(2, 900)]);
    const staged = await copyEntity(objects, { from: 'in/x.parquet', to: 'out/e', stageOnly: true });
    expect((await objects.list('out/e/_hygge_staging/')).length).toBe(1);
    await staged.discard();
    const state = await destinationState(objects, 'out/e');
    expect(state.keys).toEqual(['part-00000.parquet']);
    expect(state.rows).toHaveLength(2);
  });
});
