/**
 * The unit of work: one entity of one flow, with every `{entity}` already substituted.
 * A job is plain data, small enough to travel as a Durable activity input.
 */
import type { HomeConfig, RunType, StoreConfig, WatermarkConfig } from '../config/schema';

export interface EntityJob {
  /** `<flow>.<entity>`: unique within a run */
  id: string;
  flow: string;
  entity: string;
  home: HomeConfig;
  store: StoreConfig;
  run_type: RunType;
  watermark?: WatermarkConfig;
  /**
   * The pooled SQL connections this job holds while it runs (home and store may differ).
   * Named connections by name; inline ones by a stable key `inline:<server>/<database>`.
   */
  connections: string[];
}

/** What a run will execute, and the caps that bound it. */
export interface Plan {
  runId: string;
  project: string;
  jobs: EntityJob[];
  /** pool_size of every connection some job uses: the most jobs that may hold it at once */
  caps: Record<string, number>;
  /** the most jobs running at once overall (options.concurrency, or --concurrency) */
  concurrency: number;
}

/** Which flows/entities a run covers. Entities are `flow.entity`. Empty means all. */
export interface RunFilter {
  flows?: string[];
  entities?: string[];
  run_type?: RunType;
}
