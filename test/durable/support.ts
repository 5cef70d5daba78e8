/** Helpers shared by the durable tests: plans built by hand, the timeline's concurrency. */
import type { EntitySummary } from '../../src/engine/summary';
import type { PlannedRun } from '../../src/orchestration/runInput';
import type { ActivityExecution } from './harness';

export interface HandJob {
  id: string;
  connections: string[];
}

export function plannedRun(runId: string, jobs: HandJob[], caps: Record<string, number>, concurrency: number, retry = { attempts: 3, initial_delay_ms: 1000, max_delay_ms: 30_000 }): PlannedRun {
  const groups = new Map<string, { connections: string[]; ids: string[] }>();
  for (const job of jobs) {
    const key = [...job.connections].sort().join(',');
    if (!groups.has(key)) groups.set(key, { connections: [...job.connections].sort(), ids: [] });
    groups.get(key)!.ids.push(job.id);
  }
  return { runId, project: 'hand-made', total: jobs.length, concurrency, caps, retry, groups: [...groups.values()] };
}

export function succeeded(id: string, rows = 10): EntitySummary {
  const [flow = '', entity = ''] = id.split('.');
  return { id, flow, entity, status: 'succeeded', rows, bytes: rows * 8, parts: 1, seconds: 0.5 };
}

/** The most entity executions that overlapped at any moment, overall and per connection. */
export function peakConcurrency(timeline: ActivityExecution[], connectionsOf: (jobId: string) => string[]): { overall: number; byConnection: Map<string, number> } {
  const runs = timeline.filter((t) => t.name === 'runEntity' && t.end > t.start);
  // sweep: ends before starts at the same instant (half-open intervals)
  const points = runs.flatMap((r) => [
    { at: r.start, delta: +1, job: r.input.jobId as string },
    { at: r.end, delta: -1, job: r.input.jobId as string },
  ]);
  points.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let overall = 0;
  let peak = 0;
  const now = new Map<string, number>();
  const byConnection = new Map<string, number>();
  for (const p of points) {
    overall += p.delta;
    peak = Math.max(peak, overall);
    for (const c of connectionsOf(p.job)) {
      const n = (now.get(c) ?? 0) + p.delta;
      now.set(c, n);
      byConnection.set(c, Math.max(byConnection.get(c) ?? 0, n));
    }
  }
  return { overall: peak, byConnection };
}

/** A stable pseudo-random duration per job id (1..max ms), so lanes drift against each other. */
export function durationOf(id: string, max = 97): number {
  let h = 2166136261;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return 1 + ((h >>> 0) % max);
}
