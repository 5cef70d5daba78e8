/** The ObjectStore contract, one suite over both implementations. */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { HyggeError } from '../../../src/errors';
import type { ObjectStore } from '../../../src/storage/objectStore';
import { objectStoreTargets, type TargetEnv } from './objectStoreTargets';

const text = (s: string) => Readable.from([Buffer.from(s)]);

async function contentOf(objects: ObjectStore, key: string): Promise<string> {
  const copy = await objects.localCopy(key);
  try {
    return await readFile(copy.path, 'utf8');
  } finally {
    await copy.release();
  }
}

async function thrown(p: Promise<unknown>): Promise<HyggeError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(HyggeError);
    return err as HyggeError;
  }
  throw new Error('expected a HyggeError');
}

describe.each(objectStoreTargets())('ObjectStore: $name', (target) => {
  let env: TargetEnv;
  beforeAll(async () => {
    env = await target.start();
  }, 30_000);
  afterAll(() => env?.stop());

  it('writes, lists recursively in key order, reads back, and counts bytes', async () => {
    const objects = await env.fresh();
    expect(await objects.write('a/z.txt', text('zz'))).toBe(2);
    await objects.write('a/b/c.txt', text('c'));
    await objects.write('a/b.txt', text('bb'));
    await objects.write('other.txt', text('o'));
    const listed = await objects.list('a/');
    expect(listed.map((o) => o.key)).toEqual(['a/b.txt', 'a/b/c.txt', 'a/z.txt']);
    expect(listed.map((o) => o.size)).toEqual([2, 1, 2]);
    expect((await objects.list('a/b')).map((o) => o.key)).toEqual(['a/b.txt', 'a/b/c.txt']);
    expect((await objects.list('')).length).toBe(4);
    expect(await contentOf(objects, 'a/b/c.txt')).toBe('c');
    expect(await objects.list('nothing/')).toEqual([]);
  });

  it('streams a write from an async iterable and replaces an existing object', async () => {
    const objects = await env.fresh();
    await objects.write('k', text('old'));
    async function* chunks() {
      for (let i = 0; i < 64; i++) yield new Uint8Array(64 * 1024).fill(i);
    }
    expect(await objects.write('k', chunks())).toBe(64 * 64 * 1024);
    expect((await objects.list('k'))[0]!.size).toBe(64 * 64 * 1024);
  });

  it('keeps unicode keys as they are', async () => {
    const objects = await env.fresh();
    await objects.write('données/ñ 😀/part.txt', text('ü'));
    expect((await objects.list('données/')).map((o) => o.key)).toEqual(['données/ñ 😀/part.txt']);
    expect(await contentOf(objects, 'données/ñ 😀/part.txt')).toBe('ü');
  });

  it('moves (replacing the destination), deletes idempotently, deletes a prefix', async () => {
    const objects = await env.fresh();
    await objects.write('s/1', text('one'));
    await objects.write('d/1', text('old'));
    await objects.move('s/1', 'd/1');
    expect(await objects.exists('s/1')).toBe(false);
    expect(await contentOf(objects, 'd/1')).toBe('one');
    await objects.delete('d/1');
    await objects.delete('d/1');
    expect(await objects.exists('d/1')).toBe(false);
    await objects.write('p/x/1', text('1'));
    await objects.write('p/x/2', text('2'));
    await objects.write('p/y', text('3'));
    await objects.deletePrefix('p/x/');
    expect((await objects.list('p/')).map((o) => o.key)).toEqual(['p/y']);
  });

  it('releases the local copy', async () => {
    const objects = await env.fresh();
    await objects.write('f', text('x'));
    const copy = await objects.localCopy('f');
    expect(existsSync(copy.path)).toBe(true);
    await copy.release();
    // a local store hands out the file itself, which must survive; Blob's temp copy must not
    expect(existsSync(copy.path)).toBe(copy.path === objects.describe('f'));
  });

  it('reports a missing object as SOURCE_NOT_FOUND with its location', async () => {
    const objects = await env.fresh();
    const err = await thrown(objects.localCopy('no/such.parquet'));
    expect(err.code).toBe('SOURCE_NOT_FOUND');
    expect(err.context.file).toContain('no/such.parquet');
  });

  it('reports an unwritable destination as DESTINATION_NOT_WRITABLE with its location and a hint', async () => {
    const { objects, path } = await env.unwritable();
    const err = await thrown(objects.write(`${path}/part-00000.parquet`, text('x')));
    expect(err.code).toBe('DESTINATION_NOT_WRITABLE');
    expect(err.context.file).toContain(path);
    expect(err.hint).toBeTruthy();
  });
});
