/**
 * The two ObjectStore implementations as test targets, so one behaviour suite runs over both:
 *
 *   describe.each(objectStoreTargets())('$name', (target) => {
 *     let env: TargetEnv;
 *     beforeAll(async () => (env = await target.start()), 30_000);
 *     afterAll(() => env.stop());
 *     ...
 *   });
 *
 * `fresh()` gives an empty store per test (a new temp dir / a new container), so tests do not
 * see each other's objects. `unwritable()` gives a store + path where writing must fail with
 * DESTINATION_NOT_WRITABLE: locally a path below a regular FILE (tests run as root, and root
 * ignores chmod, but no one can create a folder inside a file: ENOTDIR); in Blob a container
 * that does not exist.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BlobServiceClient } from '@azure/storage-blob';
import { BlobStore } from '../../../src/storage/blobStore';
import { LocalDirStore } from '../../../src/storage/localDirStore';
import type { ObjectStore } from '../../../src/storage/objectStore';
import { startAzurite } from '../../support/azurite';

export interface TargetEnv {
  fresh(): Promise<ObjectStore>;
  unwritable(): Promise<{ objects: ObjectStore; path: string }>;
  stop(): Promise<void>;
}

export interface ObjectStoreTarget {
  name: string;
  start(): Promise<TargetEnv>;
}

export function objectStoreTargets(): ObjectStoreTarget[] {
  return [localTarget, blobTarget];
}

const localTarget: ObjectStoreTarget = {
  name: 'local directory',
  async start() {
    const root = mkdtempSync(path.join(tmpdir(), 'hygge-objects-'));
    let n = 0;
    return {
      fresh: async () => new LocalDirStore(path.join(root, `store-${n++}`)),
      unwritable: async () => {
        const dir = path.join(root, `store-${n++}`);
        const objects = new LocalDirStore(dir);
        await objects.write('blocker', Readable.from([Buffer.from('a file, not a folder')]));
        return { objects, path: 'blocker/out' };
      },
      stop: async () => rmSync(root, { recursive: true, force: true }),
    };
  },
};

const blobTarget: ObjectStoreTarget = {
  name: 'Azure Blob (Azurite)',
  async start() {
    const azurite = await startAzurite();
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    let n = 0;
    return {
      fresh: async () => {
        const container = service.getContainerClient(`store-${n++}`);
        await container.create();
        return new BlobStore(container, 'lake');
      },
      unwritable: async () => ({ objects: new BlobStore(service.getContainerClient(`missing-${n++}`), 'lake'), path: 'out' }),
      stop: () => azurite.stop(),
    };
  },
};
