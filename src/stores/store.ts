import type { RecordBatch } from 'apache-arrow';
import type { EntityContext } from '../homes/home';

/** What a store staged and can now publish or throw away. */
export interface StagedWrite {
  rows: number;
  bytes: number;
  parts: number;
  /** makes the staged data visible, atomically as far as the store allows */
  publish(): Promise<void>;
  /** removes the staged data; the previously published data is untouched */
  discard(): Promise<void>;
}

/**
 * A destination. `stage` consumes every batch into a staging area that readers cannot see;
 * nothing is visible until `publish`. If `stage` throws, it has already cleaned up after itself.
 */
export interface Store {
  stage(batches: AsyncIterable<RecordBatch>, ctx: EntityContext): Promise<StagedWrite>;
}
