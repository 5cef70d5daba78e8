/**
 * ObjectStore over a local directory. Keys are paths relative to the root (absolute paths are
 * accepted as they are). Writes go to a hidden temp file beside the target and are renamed
 * into place, so a key is never visible half-written; rename is atomic within a file system.
 */
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import type { ObjectInfo, ObjectStore } from './objectStore';
import { compareKeys } from './keys';
import { storageError } from './storageErrors';

const TEMP_SUFFIX = '.hygge-tmp';

export class LocalDirStore implements ObjectStore {
  readonly location: string;

  constructor(root: string) {
    this.location = path.resolve(root);
  }

  describe(key: string): string {
    return this.resolve(key);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    // The folder to walk is everything up to the last `/` of the prefix; the rest filters names.
    const folderKey = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const found: ObjectInfo[] = [];
    try {
      await this.walk(this.resolve(folderKey), folderKey, prefix, found);
    } catch (err) {
      throw storageError(err, 'read', this.describe(prefix));
    }
    return found.sort((a, b) => compareKeys(a.key, b.key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await fs.stat(this.resolve(key))).isFile();
    } catch {
      return false;
    }
  }

  async localCopy(key: string): Promise<{ path: string; release(): Promise<void> }> {
    const file = this.resolve(key);
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) throw Object.assign(new Error(`${file} is not a file`), { code: 'ENOENT' });
    } catch (err) {
      throw storageError(err, 'read', file);
    }
    return { path: file, release: async () => {} };
  }

  async write(key: string, data: Readable | AsyncIterable<Uint8Array>): Promise<number> {
    const target = this.resolve(key);
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
      const source = data instanceof Readable ? data : Readable.from(data, { objectMode: false });
      await pipeline(source, counter, createWriteStream(temp));
      await fs.rename(temp, target);
      return bytes;
    } catch (err) {
      await fs.rm(temp, { force: true }).catch(() => {});
      throw storageError(err, 'write', target);
    }
  }

  async move(from: string, to: string): Promise<void> {
    const source = this.resolve(from);
    const target = this.resolve(to);
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
      try {
        await fs.rename(source, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        // Another file system (an absolute destination outside the project): copy to a temp
        // name beside the target, rename (atomic there), then remove the source.
        const temp = `${target}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
        await fs.copyFile(source, temp);
        await fs.rename(temp, target);
        await fs.rm(source, { force: true });
      }
    } catch (err) {
      throw storageError(err, 'write', target);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await fs.rm(this.resolve(key), { force: true });
    } catch (err) {
      throw storageError(err, 'write', this.resolve(key));
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    try {
      if (prefix.endsWith('/')) {
        const folder = this.resolve(prefix);
        await fs.rm(folder, { recursive: true, force: true });
        await this.pruneEmptyParents(path.dirname(folder));
      } else {
        for (const object of await this.list(prefix)) await fs.rm(this.resolve(object.key), { force: true });
      }
    } catch (err) {
      throw storageError(err, 'write', this.resolve(prefix));
    }
  }

  private resolve(key: string): string {
    return path.resolve(this.location, key);
  }

  private async walk(dir: string, dirKey: string, prefix: string, found: ObjectInfo[]): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return; // nothing under a missing folder
      throw err;
    }
    for (const entry of entries) {
      const key = `${dirKey}${entry.name}`;
      if (entry.isDirectory()) {
        // only descend where the prefix can still match
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) await this.walk(path.join(dir, entry.name), `${key}/`, prefix, found);
      } else if (entry.isFile() && key.startsWith(prefix) && !entry.name.endsWith(TEMP_SUFFIX)) {
        const stat = await fs.stat(path.join(dir, entry.name));
        found.push({ key, size: stat.size });
      }
    }
  }

  /** Blob has no empty folders; removing emptied ones keeps the two stores alike. */
  private async pruneEmptyParents(dir: string): Promise<void> {
    let current = dir;
    while (current.startsWith(this.location + path.sep)) {
      try {
        await fs.rmdir(current);
      } catch {
        return; // not empty (or gone): stop
      }
      current = path.dirname(current);
    }
  }
}
