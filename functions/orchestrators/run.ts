/**
 * Orchestrator `hyggeRun`: plan, split the jobs into lanes that respect every connection's
 * cap, run the lanes side by side, report.
 *
 * Deterministic: config is read by the `plan` activity; the lane assignment is a pure
 * function of its result. All lanes are awaited with ONE Task.all (no sliding Task.any
 * window, which durable-functions JS replays wrongly: Azure/azure-functions-durable-js#574).
 * A run in which any entity failed ends Failed, with a message listing them, after the
 * custom status has recorded the outcome.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { MAX_LANES } from '../../src/orchestration/historyBudget';
import { assignLanes } from '../../src/orchestration/lanes';
import type { EntityOutcome } from '../../src/orchestration/outcome';
import { laneJobsOf } from '../../src/orchestration/plannedRun';
import { failureMessage, runOutput } from '../../src/orchestration/runOutput';
import { finishedStatus, planningStatus, runningStatus } from '../../src/orchestration/runStatus';
import { laneInstanceId, type LaneInput, type PlannedRun, type RunInput } from '../../src/orchestration/runInput';
import { LANE_ORCHESTRATOR, PLAN_ACTIVITY, RUN_ORCHESTRATOR } from '../names';

const runOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<RunInput>();
  context.df.setCustomStatus(planningStatus(input.runId));

  const planned: PlannedRun = yield context.df.callActivity(PLAN_ACTIVITY, input);
  const lanes = assignLanes(laneJobsOf(planned), {
    caps: planned.caps,
    maxLanes: Math.min(planned.concurrency, MAX_LANES),
  });
  context.df.setCustomStatus(runningStatus(planned.runId, planned.total, lanes.length));

  let outcomesPerLane: EntityOutcome[][] = [];
  if (lanes.length > 0) {
    const laneTasks = lanes.map((jobIds, lane) =>
      context.df.callSubOrchestrator(LANE_ORCHESTRATOR, laneInput(input, planned, lane, jobIds), laneInstanceId(planned.runId, lane)),
    );
    outcomesPerLane = yield context.df.Task.all(laneTasks);
  }

  const output = runOutput(planned.runId, planned.project, outcomesPerLane.flat());
  context.df.setCustomStatus(finishedStatus(planned.runId, lanes.length, output.entities));
  const failure = failureMessage(output);
  if (failure) throw new Error(failure);
  return output;
};

function laneInput(run: RunInput, planned: PlannedRun, lane: number, jobIds: string[]): LaneInput {
  return {
    runId: planned.runId,
    lane,
    total: jobIds.length,
    ...(run.filter.run_type ? { run_type: run.filter.run_type } : {}),
    vars: run.vars,
    retry: planned.retry,
    pending: jobIds,
    done: [],
  };
}

df.app.orchestration(RUN_ORCHESTRATOR, runOrchestrator);
