/**
 * What `GET /api/runs/{id}` answers: the run's runtime state and per-entity progress,
 * merged from the run instance and its lane instances (a lane's output once it has
 * finished, its custom status while it runs). Plain data in, plain data out.
 */
import type { EntityOutcome, OutcomeCounts } from './outcome';
import type { LaneStatus, RunStatus } from './runStatus';
import type { RunOutput } from './runOutput';
import type { RunInput } from './runInput';

/** The parts of a Durable instance status this view reads. */
export interface InstanceSnapshot {
  instanceId: string;
  name: string;
  runtimeStatus: string;
  createdTime: Date | string;
  lastUpdatedTime: Date | string;
  input?: unknown;
  output?: unknown;
  customStatus?: unknown;
}

export type EntityState = 'running' | 'succeeded' | 'failed' | 'skipped';

export interface EntityProgress {
  id: string;
  state: EntityState;
  rows?: number;
  rowsPerSecond?: number;
  seconds?: number;
  error?: { code: string; message: string; hint?: string };
}

export interface RunView {
  id: string;
  runId: string;
  runtimeStatus: string;
  createdTime: string;
  lastUpdatedTime: string;
  phase: RunStatus['phase'] | 'unknown';
  total: number;
  done: number;
  counts: OutcomeCounts;
  rows: number;
  lanes: number;
  /** running entities, and finished ones as far as the lanes report them (all, once a lane is done) */
  entities: EntityProgress[];
  /** entities not listed because a running lane reports only its latest and its failures */
  unlisted: number;
  /** the failure message of a Failed or Terminated run */
  error?: string;
}

export function runView(run: InstanceSnapshot, lanes: ReadonlyArray<InstanceSnapshot | undefined>): RunView {
  const status = asRunStatus(run.customStatus);
  const input = run.input as Partial<RunInput> | undefined;
  const entities = new Map<string, EntityProgress>();
  let counts: OutcomeCounts = { succeeded: 0, failed: 0, skipped: 0 };
  let rows = 0;
  let done = 0;

  const output = run.runtimeStatus === 'Completed' ? (run.output as RunOutput | undefined) : undefined;
  if (output && Array.isArray(output.entities)) {
    for (const o of output.entities) entities.set(o.id, progressOf(o));
    counts = output.counts;
    rows = output.rows;
    done = output.entities.length;
  } else {
    for (const lane of lanes) {
      if (!lane) continue;
      const laneCounts = mergeLane(lane, entities);
      counts = addCounts(counts, laneCounts.counts);
      rows += laneCounts.rows;
      done += laneCounts.done;
    }
    if (status?.phase === 'finished') {
      counts = status.counts;
      rows = status.rows;
      done = status.total;
      for (const f of status.failed) {
        if (!entities.has(f.id)) entities.set(f.id, { id: f.id, state: 'failed', error: { code: f.code, message: f.message } });
      }
    }
  }

  const total = status?.total ?? output?.total ?? 0;
  const listed = [...entities.values()].filter((e) => e.state !== 'running').length;
  return {
    id: run.instanceId,
    runId: input?.runId ?? status?.runId ?? run.instanceId,
    runtimeStatus: run.runtimeStatus,
    createdTime: iso(run.createdTime),
    lastUpdatedTime: iso(run.lastUpdatedTime),
    phase: status?.phase ?? 'unknown',
    total,
    done,
    counts,
    rows,
    lanes: status?.lanes ?? 0,
    entities: [...entities.values()],
    unlisted: Math.max(0, done - listed),
    ...(run.runtimeStatus === 'Failed' || run.runtimeStatus === 'Terminated'
      ? { error: typeof run.output === 'string' ? run.output : JSON.stringify(run.output ?? null) }
      : {}),
  };
}

function mergeLane(lane: InstanceSnapshot, into: Map<string, EntityProgress>): { counts: OutcomeCounts; rows: number; done: number } {
  if (lane.runtimeStatus === 'Completed' && Array.isArray(lane.output)) {
    const outcomes = lane.output as EntityOutcome[];
    for (const o of outcomes) into.set(o.id, progressOf(o));
    const counts: OutcomeCounts = { succeeded: 0, failed: 0, skipped: 0 };
    for (const o of outcomes) counts[o.status]++;
    return { counts, rows: outcomes.reduce((s, o) => s + o.rows, 0), done: outcomes.length };
  }
  const status = lane.customStatus as LaneStatus | undefined;
  if (!status || typeof status !== 'object' || !('done' in status)) {
    return { counts: { succeeded: 0, failed: 0, skipped: 0 }, rows: 0, done: 0 };
  }
  for (const o of status.recent) into.set(o.id, progressOf(o));
  for (const f of status.failed) into.set(f.id, { id: f.id, state: 'failed', error: { code: f.code, message: f.message } });
  if (status.running && isActive(lane.runtimeStatus)) into.set(status.running, { id: status.running, state: 'running' });
  return { counts: status.counts, rows: status.rows, done: status.done };
}

function progressOf(o: EntityOutcome): EntityProgress {
  return {
    id: o.id,
    state: o.status,
    rows: o.rows,
    seconds: o.seconds,
    rowsPerSecond: o.seconds > 0 ? Math.round(o.rows / o.seconds) : 0,
    ...(o.error ? { error: o.error } : {}),
  };
}

function asRunStatus(value: unknown): RunStatus | undefined {
  return value && typeof value === 'object' && 'phase' in value ? (value as RunStatus) : undefined;
}

function addCounts(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  return { succeeded: a.succeeded + b.succeeded, failed: a.failed + b.failed, skipped: a.skipped + b.skipped };
}

export function isActive(runtimeStatus: string): boolean {
  return ['Running', 'Pending', 'ContinuedAsNew', 'Suspended'].includes(runtimeStatus);
}

function iso(time: Date | string): string {
  return typeof time === 'string' ? time : time.toISOString();
}
