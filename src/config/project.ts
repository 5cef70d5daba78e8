/**
 * A loaded, validated project: what the config loader returns and everything else consumes.
 * Plain data (no class instances), so it can be passed to worker threads and activities.
 */
import type { ConnectionConfig, HomeConfig, Options, RunType, Schedule, StoreConfig, WatermarkConfig } from './schema';

/** One entity after the flow, its `defaults:` and the entity's own overrides are merged. */
export interface EntityConfig {
  flow: string;
  name: string;
  /** `{entity}` is NOT yet substituted here; the plan does that. */
  home: HomeConfig;
  store: StoreConfig;
  run_type: RunType;
  watermark?: WatermarkConfig;
  enabled: boolean;
  /** the file that defined this entity (flow.yml or entities/<name>.yml), for messages */
  source_file: string;
}

export interface FlowConfig {
  name: string;
  enabled: boolean;
  /** flows/<flow>/flow.yml, for messages */
  file: string;
  entities: EntityConfig[];
}

export interface ProjectConfig {
  /** absolute path of the folder that holds hygge.yml */
  dir: string;
  name: string;
  options: Options;
  connections: Record<string, ConnectionConfig>;
  schedules: Schedule[];
  flows: Record<string, FlowConfig>;
}
