/**
 * One timer function per schedule in hygge.yml (`schedule-<name>`, its NCRONTAB `cron`).
 *
 * A schedule's runs share one instance id, `schedule-<name>`, which is how it never
 * overlaps itself: when the previous run with that id is still going, this tick is skipped
 * with a log line; otherwise the id is reused for the new run.
 */
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import type { InvocationContext, Timer } from '@azure/functions';
import type { Schedule } from '../../src/config/schema';
import { toHyggeError } from '../../src/errors';
import type { RunInput } from '../../src/orchestration/runInput';
import { isActive } from '../../src/orchestration/runView';
import { buildPlan } from '../../src/plan/buildPlan';
import type { RunFilter } from '../../src/plan/job';
import { instanceStatus } from '../client/instanceStatus';
import { RUN_ORCHESTRATOR, scheduleInstanceId } from '../names';
import { getProject } from '../project/projectCache';
import { projectDir } from '../project/projectDir';
import { readSchedules } from '../project/startupSchedules';

export async function runSchedule(schedule: Schedule, client: DurableClient, context: InvocationContext): Promise<void> {
  const instanceId = scheduleInstanceId(schedule.name);
  const previous = await instanceStatus(client, instanceId);
  if (previous && isActive(previous.runtimeStatus)) {
    context.warn(
      JSON.stringify({
        event: 'schedule.skipped',
        schedule: schedule.name,
        instanceId,
        previousStatus: previous.runtimeStatus,
        reason: 'the previous run of this schedule is still in progress',
      }),
    );
    return;
  }
  const filter: RunFilter = {
    ...(schedule.flows ? { flows: schedule.flows } : {}),
    ...(schedule.entities ? { entities: schedule.entities } : {}),
    ...(schedule.run_type ? { run_type: schedule.run_type } : {}),
  };
  try {
    const plan = buildPlan(await getProject(), filter);
    const input: RunInput = { runId: plan.runId, filter, vars: {} };
    await client.startNew(RUN_ORCHESTRATOR, { instanceId, input });
    context.info(JSON.stringify({ event: 'run.started', runId: plan.runId, by: 'schedule', schedule: schedule.name, instanceId, entities: plan.jobs.length }));
  } catch (err) {
    const error = toHyggeError(err);
    context.error(JSON.stringify({ event: 'schedule.failed', schedule: schedule.name, error: error.toJSON(), message: error.describe() }));
    throw error;
  }
}

export function registerSchedules(schedules: readonly Schedule[]): void {
  for (const schedule of schedules) {
    df.app.client.timer(scheduleInstanceId(schedule.name), {
      schedule: schedule.cron,
      handler: (_timer: Timer, client: DurableClient, context: InvocationContext) => runSchedule(schedule, client, context),
    });
  }
}

registerSchedules(readSchedules(projectDir()));
