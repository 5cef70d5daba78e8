/**
 * What travels between the run orchestrator, its lanes and the activities. Everything is
 * small and refers to jobs by id: a job is rebuilt from the project inside the activity, so
 * inputs, outputs and history never carry job configs (let alone rows).
 */
import type { RetryPolicy, RunType } from '../config/schema';
import type { RunFilter } from '../plan/job';
import type { EntityOutcome } from './outcome';

/** Input of the `hyggeRun` orchestration and of the `plan` activity. */
export interface RunInput {
  runId: string;
  filter: RunFilter;
  vars: Record<string, string>;
}

/** Jobs that use the same pooled connections. */
export interface JobGroup {
  connections: string[];
  ids: string[];
}

/** The `plan` activity's result: a Plan with jobs as ids grouped by connection set. */
export interface PlannedRun {
  runId: string;
  project: string;
  total: number;
  concurrency: number;
  caps: Record<string, number>;
  retry: RetryPolicy;
  groups: JobGroup[];
}

/** Input of one `hyggeLane` execution; `done` carries outcomes across continue-as-new. */
export interface LaneInput {
  runId: string;
  lane: number;
  total: number;
  run_type?: RunType;
  vars: Record<string, string>;
  retry: RetryPolicy;
  pending: string[];
  done: EntityOutcome[];
}

/** Input of the `runEntity` activity. */
export interface RunEntityInput {
  runId: string;
  jobId: string;
  run_type?: RunType;
  vars: Record<string, string>;
}

export function laneInstanceId(runId: string, lane: number): string {
  return `${runId}:lane-${lane}`;
}
