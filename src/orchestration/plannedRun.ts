/** Plan → PlannedRun (the compact form the orchestrator receives) and back to lane jobs. */
import type { RetryPolicy } from '../config/schema';
import type { Plan } from '../plan/job';
import type { LaneJob } from './lanes';
import type { JobGroup, PlannedRun } from './runInput';

export function plannedRunOf(plan: Plan, retry: RetryPolicy): PlannedRun {
  const groups = new Map<string, JobGroup>();
  for (const job of plan.jobs) {
    const connections = [...new Set(job.connections)].sort();
    const key = connections.join('\u0000');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { connections, ids: [] }));
    group.ids.push(job.id);
  }
  return {
    runId: plan.runId,
    project: plan.project,
    total: plan.jobs.length,
    concurrency: plan.concurrency,
    caps: plan.caps,
    retry,
    groups: [...groups.values()],
  };
}

export function laneJobsOf(planned: PlannedRun): LaneJob[] {
  return planned.groups.flatMap((g) => g.ids.map((id) => ({ id, connections: g.connections })));
}
