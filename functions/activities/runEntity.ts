/**
 * Activity `runEntity`: runs one entity exactly as the CLI does (the same runEntity over an
 * env opened per run) and returns its EntitySummary.
 *
 * The job is rebuilt from the project by id (buildPlan with just that entity and the run's
 * run_type), so the activity input stays a small reference. A failure that another attempt
 * may cure (see retryable.ts) is thrown, so Durable's retry policy runs the entity again;
 * any other failure is returned as a failed summary at once.
 */
import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { runEntity } from '../../src/engine/runEntity';
import type { EntitySummary } from '../../src/engine/summary';
import { HyggeError, toHyggeError } from '../../src/errors';
import { encodeFailure } from '../../src/orchestration/failureMarker';
import { isRetryable } from '../../src/orchestration/retryable';
import type { RunEntityInput } from '../../src/orchestration/runInput';
import { buildPlan } from '../../src/plan/buildPlan';
import type { EntityJob } from '../../src/plan/job';
import { RUN_ENTITY_ACTIVITY } from '../names';
import { getProject } from '../project/projectCache';
import { withRunEnv } from './runEnvCache';

export async function runEntityActivity(input: RunEntityInput, context: InvocationContext): Promise<EntitySummary> {
  const summary = await runOne(input);
  context.info(
    JSON.stringify({
      event: 'entity.finished',
      runId: input.runId,
      entity: summary.id,
      status: summary.status,
      rows: summary.rows,
      seconds: summary.seconds,
      ...(summary.error ? { code: summary.error.code, message: summary.error.message } : {}),
    }),
  );
  if (summary.status === 'failed' && summary.error && isRetryable(summary.error.code)) {
    throw new Error(encodeFailure(summary.error));
  }
  return summary;
}

async function runOne(input: RunEntityInput): Promise<EntitySummary> {
  const [flow = '', entity = ''] = splitId(input.jobId);
  try {
    const project = await getProject(input.vars);
    const job = jobById(project, input);
    return await withRunEnv(project, input.runId, (env) => runEntity(job, env));
  } catch (err) {
    const error = toHyggeError(err, { flow, entity });
    return { id: input.jobId, flow, entity, status: 'failed', rows: 0, bytes: 0, parts: 0, seconds: 0, error: error.toJSON() };
  }
}

function jobById(project: Parameters<typeof buildPlan>[0], input: RunEntityInput): EntityJob {
  const plan = buildPlan(project, { entities: [input.jobId], ...(input.run_type ? { run_type: input.run_type } : {}) }, { runId: input.runId });
  const job = plan.jobs.find((j) => j.id === input.jobId);
  if (!job) {
    throw new HyggeError('FILTER_INVALID', `entity ${input.jobId} is no longer in the project`, {
      hint: 'The project changed while the run was in progress; start the run again.',
    });
  }
  return job;
}

function splitId(id: string): [string, string] {
  const dot = id.indexOf('.');
  return dot > 0 ? [id.slice(0, dot), id.slice(dot + 1)] : ['', id];
}

df.app.activity(RUN_ENTITY_ACTIVITY, { handler: (input: unknown, context) => runEntityActivity(input as RunEntityInput, context) });
