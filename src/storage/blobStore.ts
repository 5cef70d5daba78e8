/**
 * ObjectStore over an Azure Blob container (or Azurite).
 *
 * - write: `uploadStream` with bounded buffers (BUFFER_BYTES × CONCURRENCY in flight), so a
 *   part never sits whole in memory; the blob appears only when its block list is committed,
 *   so a half-written object is never visible.
 * - localCopy: `downloadToFile` into a private temp folder; `release()` removes it. (Parquet
 *   readers need random access; parquet-wasm's HTTP reader sends suffix range requests that
 *   Azurite answers in a way that crashes it, and a temp file is also cheaper on real Azure.)
 * - move: server-side `Copy Blob` within the account (`beginCopyFromURL`, polling only
 *   while the copy is pending; same-account copies are authorised by the
 *   request's own credential and usually complete within the call),
 *   then delete the source. Not atomic as a pair: callers (the publish protocol) make it
 *   idempotent by checking which of the two exists.
 */
import fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ContainerClient } from '@azure/storage-blob';
import type { ErrorContext } from '../errors';
import type { ObjectInfo, ObjectStore } from './objectStore';
import { compareKeys } from './keys';
import { storageError } from './storageErrors';

const BUFFER_BYTES = 4 * 1024 * 1024;
const CONCURRENCY = 4;
const DELETE_CONCURRENCY = 8;
const COPY_POLL_MS = 200;

export class BlobStore implements ObjectStore {
  readonly location: string;
  private readonly context: ErrorContext;

  constructor(private readonly container: ContainerClient, connectionName?: string) {
    this.location = container.url;
    this.context = connectionName ? { connection: connectionName } : {};
  }

  describe(key: string): string {
    return `${this.location}/${key}`;
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const found: ObjectInfo[] = [];
    try {
      for await (const blob of this.container.listBlobsFlat(prefix ? { prefix } : {})) {
        found.push({ key: blob.name, size: blob.properties.contentLength ?? 0 });
      }
    } catch (err) {
      throw storageError(err, 'read', this.describe(prefix), this.context);
    }
    return found.sort((a, b) => compareKeys(a.key, b.key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      return await this.container.getBlobClient(key).exists();
    } catch (err) {
      throw storageError(err, 'read', this.describe(key), this.context);
    }
  }

  async localCopy(key: string): Promise<{ path: string; release(): Promise<void> }> {
    const dir = await fs.mkdtemp(path.join(tmpdir(), 'hygge-blob-'));
    const release = () => fs.rm(dir, { recursive: true, force: true });
    const file = path.join(dir, 'object');
    try {
      await this.container.getBlobClient(key).downloadToFile(file);
    } catch (err) {
      await release();
      throw storageError(err, 'read', this.describe(key), this.context);
    }
    return { path: file, release };
  }

  async write(key: string, data: Readable | AsyncIterable<Uint8Array>): Promise<number> {
    let bytes = 0;
    const counted = Readable.from(countBytes(data, (n) => (bytes += n)), { objectMode: false });
    try {
      await this.container.getBlockBlobClient(key).uploadStream(counted, BUFFER_BYTES, CONCURRENCY);
      return bytes;
    } catch (err) {
      counted.destroy();
      throw storageError(err, 'write', this.describe(key), this.context);
    }
  }

  async move(from: string, to: string): Promise<void> {
    try {
      const source = this.container.getBlobClient(from);
      const destination = this.container.getBlobClient(to);
      // Copy Blob within one account usually completes in the call itself; poll only if not
      const poller = await destination.beginCopyFromURL(source.url, { intervalInMs: COPY_POLL_MS });
      if (!poller.isDone()) await poller.pollUntilDone();
      const status = poller.getResult()?.copyStatus;
      if (status !== 'success') throw new Error(`server-side copy ended with status ${status}`);
      await source.deleteIfExists();
    } catch (err) {
      throw storageError(err, 'write', this.describe(to), this.context);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.container.getBlobClient(key).deleteIfExists();
    } catch (err) {
      throw storageError(err, 'write', this.describe(key), this.context);
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    const keys = (await this.list(prefix)).map((o) => o.key);
    for (let i = 0; i < keys.length; i += DELETE_CONCURRENCY) {
      await Promise.all(keys.slice(i, i + DELETE_CONCURRENCY).map((key) => this.delete(key)));
    }
  }
}

async function* countBytes(data: AsyncIterable<Uint8Array>, add: (n: number) => void): AsyncIterable<Uint8Array> {
  for await (const chunk of data) {
    add(chunk.byteLength);
    yield chunk;
  }
}
