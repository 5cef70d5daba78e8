/**
 * Object storage as the Parquet home and store see it: a flat key space with `/` separators.
 * Two implementations: a local directory and an Azure Blob container. Keys are relative
 * (`sales/orders/part-00000.parquet`); `describe(key)` gives the full location for messages.
 */
import type { Readable } from 'node:stream';

export interface ObjectInfo {
  key: string;
  size: number;
}

export interface ObjectStore {
  /** e.g. `/abs/dir` or `https://acct.blob.core.windows.net/container` */
  readonly location: string;
  describe(key: string): string;
  /** every object under a prefix (recursive), sorted by key */
  list(prefix: string): Promise<ObjectInfo[]>;
  exists(key: string): Promise<boolean>;
  /**
   * A local file holding the object, for random-access readers (Parquet footers).
   * Local stores return the file itself; Blob downloads to a temp file. `release()` removes
   * anything temporary.
   */
  localCopy(key: string): Promise<{ path: string; release(): Promise<void> }>;
  /** streams bytes into `key`, replacing it; returns bytes written */
  write(key: string, data: Readable | AsyncIterable<Uint8Array>): Promise<number>;
  /** moves one object; the destination is replaced */
  move(from: string, to: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** deletes everything under a prefix */
  deletePrefix(prefix: string): Promise<void>;
}
