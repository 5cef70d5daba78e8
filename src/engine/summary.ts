import type { HyggeErrorJson } from '../errors';

export type EntityStatus = 'succeeded' | 'failed' | 'skipped';

/** What one entity run reports: small, serialisable, the same from the CLI and Functions. */
export interface EntitySummary {
  id: string;
  flow: string;
  entity: string;
  status: EntityStatus;
  rows: number;
  bytes: number;
  parts: number;
  seconds: number;
  /** the new high-water mark after an incremental read (serialised), when there is one */
  watermark?: string;
  error?: HyggeErrorJson;
}
