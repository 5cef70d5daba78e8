/**
 * The runs API:
 *   POST /api/runs              start a run      body { flows?, entities?, run_type?, vars? }
 *   GET  /api/runs              recent runs      ?hours=24 &status=Running,Failed &top=50
 *   GET  /api/runs/{id}         one run: runtime state and per-entity progress
 *   POST /api/runs/{id}/cancel  terminate a run and its lanes   ?reason=...
 *
 * A start request is checked the way the CLI checks a command line: the body's shape, then
 * buildPlan against the project, so a bad filter is a 400 with the CLI's message and no run.
 */
import * as df from 'durable-functions';
import type { DurableClient, OrchestrationRuntimeStatus } from 'durable-functions';
import type { HttpRequest, HttpResponse, HttpResponseInit, InvocationContext } from '@azure/functions';
import { HyggeError } from '../../src/errors';
import { assertVarsKeepAppSettings, parseRunRequest } from '../../src/orchestration/runRequest';
import { laneInstanceId, type RunInput } from '../../src/orchestration/runInput';
import type { RunStatus } from '../../src/orchestration/runStatus';
import { isActive, runView, type InstanceSnapshot } from '../../src/orchestration/runView';
import { buildPlan } from '../../src/plan/buildPlan';
import { instanceStatus } from '../client/instanceStatus';
import { RUN_ORCHESTRATOR } from '../names';
import { getProject } from '../project/projectCache';
import { errorResponse, notFound } from './responses';

export async function startRun(request: HttpRequest, client: DurableClient, context: InvocationContext): Promise<HttpResponse | HttpResponseInit> {
  try {
    const { filter, vars } = parseRunRequest(await jsonBody(request));
    assertVarsKeepAppSettings(vars, process.env);
    const project = await getProject(vars);
    const plan = buildPlan(project, filter);
    const input: RunInput = { runId: plan.runId, filter, vars };
    await client.startNew(RUN_ORCHESTRATOR, { instanceId: plan.runId, input });
    context.info(JSON.stringify({ event: 'run.started', runId: plan.runId, by: 'http', entities: plan.jobs.length, filter }));
    return client.createCheckStatusResponse(request, plan.runId);
  } catch (err) {
    return errorResponse(err);
  }
}

export async function getRun(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const id = request.params.id ?? '';
  const run = await instanceStatus(client, id);
  if (!run || run.name !== RUN_ORCHESTRATOR) return notFound(id);
  const runId = (run.input as Partial<RunInput> | undefined)?.runId ?? id;
  const lanes = (run.customStatus as Partial<RunStatus> | undefined)?.lanes ?? 0;
  const needLanes = run.runtimeStatus !== 'Completed';
  const laneStatuses = needLanes
    ? await Promise.all(Array.from({ length: lanes }, (_, i) => instanceStatus(client, laneInstanceId(runId, i))))
    : [];
  return { status: 200, jsonBody: runView(run as InstanceSnapshot, laneStatuses as Array<InstanceSnapshot | undefined>) };
}

export async function listRuns(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const hours = positiveNumber(request.query.get('hours'), 24);
  const top = positiveNumber(request.query.get('top'), 50);
  const statuses = (request.query.get('status') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as OrchestrationRuntimeStatus[];
  const now = new Date();
  const found = await client.getStatusBy({
    createdTimeFrom: new Date(now.getTime() - hours * 3_600_000),
    createdTimeTo: now,
    ...(statuses.length > 0 ? { runtimeStatus: statuses } : {}),
  });
  const runs = found
    .filter((s) => s.name === RUN_ORCHESTRATOR)
    .map((s) => {
      const status = s.customStatus as Partial<RunStatus> | undefined;
      return {
        id: s.instanceId,
        runId: (s.input as Partial<RunInput> | undefined)?.runId ?? status?.runId ?? s.instanceId,
        runtimeStatus: s.runtimeStatus,
        createdTime: new Date(s.createdTime).toISOString(),
        lastUpdatedTime: new Date(s.lastUpdatedTime).toISOString(),
        phase: status?.phase ?? 'unknown',
        total: status?.total ?? 0,
        counts: status?.counts ?? null,
      };
    })
    .sort((a, b) => (a.createdTime < b.createdTime ? 1 : a.createdTime > b.createdTime ? -1 : 0))
    .slice(0, top);
  return { status: 200, jsonBody: { runs } };
}

export async function cancelRun(request: HttpRequest, client: DurableClient, context: InvocationContext): Promise<HttpResponseInit> {
  const id = request.params.id ?? '';
  const reason = cleanReason(request.query.get('reason') ?? 'cancelled through the runs API');
  const run = await instanceStatus(client, id);
  if (!run || run.name !== RUN_ORCHESTRATOR) return notFound(id);
  if (!isActive(run.runtimeStatus)) {
    return { status: 409, jsonBody: { message: `run ${id} is ${run.runtimeStatus}; only a running run can be cancelled` } };
  }
  await client.terminate(id, reason);
  // Terminating a parent does not stop its sub-orchestrations: stop the lanes too, so no
  // further entity starts. An entity already running finishes (or fails) on its own.
  const runId = (run.input as Partial<RunInput> | undefined)?.runId ?? id;
  const lanes = (run.customStatus as Partial<RunStatus> | undefined)?.lanes ?? 0;
  let stopped = 0;
  for (let lane = 0; lane < lanes; lane++) {
    const laneId = laneInstanceId(runId, lane);
    const status = await instanceStatus(client, laneId);
    if (status && isActive(status.runtimeStatus)) {
      await client.terminate(laneId, reason);
      stopped++;
    }
  }
  context.info(JSON.stringify({ event: 'run.cancelled', runId, instanceId: id, lanesStopped: stopped, reason }));
  return { status: 202, jsonBody: { id, runId, cancelled: true, lanesStopped: stopped, reason } };
}

async function jsonBody(request: HttpRequest): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HyggeError('FILTER_INVALID', 'the request body is not valid JSON', {
      hint: 'Send JSON like {"flows": ["sales"]}, or no body to run everything.',
    });
  }
}

function positiveNumber(text: string | null, fallback: number): number {
  const n = Number(text);
  return text !== null && Number.isFinite(n) && n > 0 ? n : fallback;
}

/** The durable client puts the reason into a URL as it is: keep it to plain text. */
function cleanReason(text: string): string {
  return text.replace(/[&#?%\\/]/g, ' ').slice(0, 200);
}

df.app.client.http('runs-start', { route: 'runs', methods: ['POST'], authLevel: 'function', handler: startRun });
df.app.client.http('runs-list', { route: 'runs', methods: ['GET'], authLevel: 'function', handler: listRuns });
df.app.client.http('runs-status', { route: 'runs/{id}', methods: ['GET'], authLevel: 'function', handler: getRun });
df.app.client.http('runs-cancel', { route: 'runs/{id}/cancel', methods: ['POST'], authLevel: 'function', handler: cancelRun });
