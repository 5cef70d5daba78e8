/**
 * Activity `plan`: reads the project and builds the run's plan, the one step of a run that
 * touches config, so the orchestrator itself stays deterministic.
 *
 * It returns a PlannedRun: job ids grouped by connection set plus caps and the retry policy,
 * not the jobs. A job is a few hundred bytes, ids ~25: 1,000 entities stay ~25 KB, under the
 * ~64 KB at which Durable (Azure Storage) moves a message to blob storage; 10,000 do go to
 * blob (compressed), which Durable handles transparently. runEntity rebuilds a job from its id.
 */
import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { buildPlan } from '../../src/plan/buildPlan';
import { plannedRunOf } from '../../src/orchestration/plannedRun';
import type { PlannedRun, RunInput } from '../../src/orchestration/runInput';
import { PLAN_ACTIVITY } from '../names';
import { getProject } from '../project/projectCache';

export async function planRun(input: RunInput, context: InvocationContext): Promise<PlannedRun> {
  const project = await getProject(input.vars);
  const plan = buildPlan(project, input.filter, { runId: input.runId });
  const planned = plannedRunOf(plan, project.options.retry);
  context.info(
    JSON.stringify({
      event: 'run.planned',
      runId: planned.runId,
      project: planned.project,
      entities: planned.total,
      concurrency: planned.concurrency,
      caps: planned.caps,
    }),
  );
  return planned;
}

df.app.activity(PLAN_ACTIVITY, { handler: (input: unknown, context) => planRun(input as RunInput, context) });
