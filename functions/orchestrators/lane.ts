/**
 * Orchestrator `hyggeLane`: runs its share of a run's entities one after another, which is
 * what lets the lane assignment bound every connection (a lane holds one job at a time).
 *
 * Each entity runs as activity `runEntity` with the project's retry policy. When the
 * retries are used up the failure is recorded as a failed outcome and the lane goes on:
 * one entity never stops the others.
 *
 * To keep its history near a thousand events, a lane runs at most `entitiesPerExecution`
 * entities per execution, then continues as new (same instance id, so cancelling and
 * status still find it) with the rest and the outcomes so far.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, RetryOptions, Task } from 'durable-functions';
import type { EntitySummary } from '../../src/engine/summary';
import { decodeFailure } from '../../src/orchestration/failureMarker';
import { entitiesPerExecution } from '../../src/orchestration/historyBudget';
import { failedOutcome, outcomeOf, type EntityOutcome } from '../../src/orchestration/outcome';
import type { LaneInput, RunEntityInput } from '../../src/orchestration/runInput';
import { laneStatus } from '../../src/orchestration/runStatus';
import { LANE_ORCHESTRATOR, RUN_ENTITY_ACTIVITY } from '../names';
import { retryOptionsFor } from './retryOptions';

const laneOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const lane = context.df.getInput<LaneInput>();
  const retry = retryOptionsFor(lane.retry);
  const outcomes = [...lane.done];
  const thisExecution = lane.pending.slice(0, entitiesPerExecution(lane.retry.attempts));

  for (const jobId of thisExecution) {
    context.df.setCustomStatus(laneStatus(lane.runId, lane.lane, lane.total, outcomes, jobId));
    outcomes.push(yield* runEntityWithRetry(context, lane, jobId, retry));
  }
  context.df.setCustomStatus(laneStatus(lane.runId, lane.lane, lane.total, outcomes, null));

  const later = lane.pending.slice(thisExecution.length);
  if (later.length > 0) {
    context.df.continueAsNew({ ...lane, pending: later, done: outcomes } satisfies LaneInput);
    return undefined;
  }
  return outcomes;
};

function* runEntityWithRetry(
  context: OrchestrationContext,
  lane: LaneInput,
  jobId: string,
  retry: RetryOptions,
): Generator<Task, EntityOutcome, EntitySummary> {
  const input: RunEntityInput = {
    runId: lane.runId,
    jobId,
    ...(lane.run_type ? { run_type: lane.run_type } : {}),
    vars: lane.vars,
  };
  try {
    const summary = yield context.df.callActivityWithRetry(RUN_ENTITY_ACTIVITY, retry, input);
    return outcomeOf(summary);
  } catch (err) {
    return failedOutcome(jobId, decodeFailure(err instanceof Error ? err.message : String(err)));
  }
}

df.app.orchestration(LANE_ORCHESTRATOR, laneOrchestrator);
