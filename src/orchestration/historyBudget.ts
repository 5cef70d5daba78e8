/**
 * Keeping each orchestration's history near a thousand events (replay cost grows with it).
 *
 * One entity in a lane costs, per attempt, TaskScheduled + OrchestratorStarted +
 * TaskCompleted/TaskFailed + OrchestratorCompleted (4 events), and per failed attempt a retry
 * timer: TimerCreated + OrchestratorStarted + TimerFired + OrchestratorCompleted (4 more).
 * The host creates that timer even after the last attempt, so the worst case is
 * 8 · attempts events per entity. A lane runs at most `entitiesPerExecution` entities and
 * then continues as new (same instance id, fresh history) with the rest.
 *
 * The run orchestrator costs about 8 + 4 events per lane, so lanes are capped at MAX_LANES.
 */
export const HISTORY_EVENT_TARGET = 800;
const EXECUTION_OVERHEAD_EVENTS = 10;
export const MAX_LANES = 190;

export function worstEventsPerEntity(attempts: number): number {
  return 8 * Math.max(1, attempts);
}

export function entitiesPerExecution(attempts: number): number {
  return Math.max(1, Math.floor((HISTORY_EVENT_TARGET - EXECUTION_OVERHEAD_EVENTS) / worstEventsPerEntity(attempts)));
}
