/** Function names, shared by the registrations and the code that calls them. */
export const RUN_ORCHESTRATOR = 'hyggeRun';
export const LANE_ORCHESTRATOR = 'hyggeLane';
export const PLAN_ACTIVITY = 'plan';
export const RUN_ENTITY_ACTIVITY = 'runEntity';

/** A schedule's timer function name, and the instance id its runs reuse. */
export function scheduleInstanceId(scheduleName: string): string {
  return `schedule-${scheduleName}`;
}
