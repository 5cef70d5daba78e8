/**
 * The HTTP API and the schedule timers, called like the Functions host calls them (real
 * HttpRequest, real durable client) over the harness's emulated Durable extension.
 */
import { buildPlan } from '../../src/plan/buildPlan';
import { loadProject } from '../../src/config/loadProject';
import { HyggeError } from '../../src/errors';
import { startHarness, type Harness } from './harness';
import { writeProject, type Fixture } from './projectFixture';
import { succeeded } from './support';

describe('runs API and schedules', () => {
  let harness: Harness;
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = writeProject({ perFlow: 3 });
    process.env.HYGGE_PROJECT_DIR = fixture.dir;
    harness = await startHarness({
      activityDuration: (name) => (name === 'runEntity' ? 10 : 0),
      activityOverrides: { runEntity: (input) => succeeded(input.jobId, 100) },
    });
  });
  afterEach(async () => {
    await harness.close();
    fixture.remove();
    delete process.env.HYGGE_PROJECT_DIR;
  });

  it('registers the runs API, both orchestrators, both activities and one timer per schedule', () => {
    const names = [...harness.app.registrations.keys()].sort();
    expect(names).toEqual(['hyggeLane', 'hyggeRun', 'plan', 'runEntity', 'runs-cancel', 'runs-list', 'runs-start', 'runs-status', 'schedule-nightly']);
    const timer = harness.app.registrations.get('schedule-nightly')!;
    expect(timer.kind).toBe('timer');
    expect(timer.options.schedule).toBe('0 0 2 * * *');
    expect(harness.app.registrations.get('runs-start')!.options).toMatchObject({ route: 'runs', methods: ['POST'], authLevel: 'function' });
  });

  it('answers 400 with the CLI message for a bad body, a bad filter and an unknown flow', async () => {
    const notJson = await harness.http('runs-start', { method: 'POST', path: '/api/runs', rawBody: '{flows:' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.message).toMatch(/not valid JSON/);

    const badShape = await harness.http('runs-start', { method: 'POST', path: '/api/runs', body: { flows: 'sales' } });
    expect(badShape.status).toBe(400);
    expect(badShape.body.error.code).toBe('FILTER_INVALID');
    expect(badShape.body.message).toMatch(/flows/);

    const unknownFlow = await harness.http('runs-start', { method: 'POST', path: '/api/runs', body: { flows: ['sale'] } });
    expect(unknownFlow.status).toBe(400);
    // exactly what buildPlan says (and the CLI prints) for the same filter
    const project = await loadProject(fixture.dir);
    let cliError: HyggeError | undefined;
    try {
      buildPlan(project, { flows: ['sale'] });
    } catch (err) {
      cliError = err as HyggeError;
    }
    expect(unknownFlow.body.message).toBe(cliError!.describe());
    expect(unknownFlow.body.error.message).toBe(cliError!.message);

    const unknownEntity = await harness.http('runs-start', { method: 'POST', path: '/api/runs', body: { entities: ['sales.nope'] } });
    expect(unknownEntity.status).toBe(400);
    expect(unknownEntity.body.error.code).toBe('FILTER_INVALID');
    process.env.HYGGE_TEST_SETTING = 'from-app-settings';
    const override = await harness.http('runs-start', { method: 'POST', path: '/api/runs', body: { vars: { HYGGE_TEST_SETTING: 'evil.example' } } });
    delete process.env.HYGGE_TEST_SETTING;
    expect(override.status).toBe(400);
    expect(override.body.message).toMatch(/may not override app settings: HYGGE_TEST_SETTING/);
    expect(harness.host.instances.size).toBe(0);
  });

  it('starts a run with 202 and the check-status payload, then reports status, lists and cancels', async () => {
    const started = await harness.http('runs-start', { method: 'POST', path: '/api/runs', body: { flows: ['sales', 'files'], run_type: 'full_drop' } });
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    expect(id).toMatch(/\S/);
    expect(started.body.statusQueryGetUri).toContain(`/instances/${id}`);
    expect(started.body.terminatePostUri).toContain(`/instances/${id}/terminate`);
    expect(started.headers.location).toBe(started.body.statusQueryGetUri);
    expect(harness.host.mustGet(id).input).toEqual({ runId: id, filter: { flows: ['sales', 'files'], run_type: 'full_drop' }, vars: {} });

    // part way: the entities are running
    await harness.host.runUntilIdle({ until: harness.host.now + 5 });
    const midway = await harness.http('runs-status', { method: 'GET', path: `/api/runs/${id}`, params: { id } });
    expect(midway.status).toBe(200);
    expect(midway.body).toMatchObject({ id, runId: id, runtimeStatus: 'Running', phase: 'running', total: 6 });
    expect(midway.body.entities.some((e: { state: string }) => e.state === 'running')).toBe(true);

    const listed = await harness.http('runs-list', { method: 'GET', path: '/api/runs', query: { hours: '1000000' } });
    expect(listed.status).toBe(200);
    expect(listed.body.runs.map((r: { id: string }) => r.id)).toEqual([id]); // lanes are not runs

    await harness.host.runUntilIdle();
    const done = await harness.http('runs-status', { method: 'GET', path: `/api/runs/${id}`, params: { id } });
    expect(done.body).toMatchObject({ runtimeStatus: 'Completed', phase: 'finished', done: 6, rows: 600, counts: { succeeded: 6, failed: 0, skipped: 0 } });
    expect(done.body.entities).toHaveLength(6);
    expect(done.body.entities[0]).toMatchObject({ state: 'succeeded', rows: 100, rowsPerSecond: 200 });

    const lateCancel = await harness.http('runs-cancel', { method: 'POST', path: `/api/runs/${id}/cancel`, params: { id } });
    expect(lateCancel.status).toBe(409);
    const missing = await harness.http('runs-status', { method: 'GET', path: '/api/runs/nope', params: { id: 'nope' } });
    expect(missing.status).toBe(404);
  });

  it('cancels a running run and its lanes', async () => {
    const started = await harness.http('runs-start', { method: 'POST', path: '/api/runs', body: {} });
    const id = started.body.id as string;
    await harness.host.runUntilIdle({ until: harness.host.now + 15 });
    const cancelled = await harness.http('runs-cancel', { method: 'POST', path: `/api/runs/${id}/cancel`, params: { id }, query: { reason: 'maintenance window' } });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.lanesStopped).toBeGreaterThan(0);
    await harness.host.runUntilIdle();
    expect(harness.host.mustGet(id).runtimeStatus).toBe('Terminated');
    expect(harness.host.mustGet(id).output).toBe('maintenance window');
    const lanes = [...harness.host.instances.values()].filter((i) => i.name === 'hyggeLane');
    expect(lanes.every((l) => l.runtimeStatus === 'Terminated' || l.runtimeStatus === 'Completed')).toBe(true);
    expect(harness.host.timeline.filter((t) => t.name === 'runEntity').length).toBeLessThan(fixture.ids.length);
  });

  it('a schedule starts its run under a fixed id, skips while it is still running, and reuses the id afterwards', async () => {
    await harness.timer('schedule-nightly');
    const first = harness.host.mustGet('schedule-nightly');
    expect(first.runtimeStatus).toBe('Pending');
    const firstRunId = (first.input as { runId: string }).runId;
    expect(first.input).toMatchObject({ filter: { flows: ['files'] } });

    await harness.host.runUntilIdle({ until: harness.host.now + 5 });
    expect(harness.host.mustGet('schedule-nightly').runtimeStatus).toBe('Running');
    await harness.timer('schedule-nightly');
    const skipped = harness.host.logs.find((l) => l.functionName === 'schedule-nightly' && l.message.includes('schedule.skipped'));
    expect(skipped?.level).toBe('warning');
    expect(JSON.parse(skipped!.message)).toMatchObject({ schedule: 'nightly', previousStatus: 'Running' });
    expect((harness.host.mustGet('schedule-nightly').input as { runId: string }).runId).toBe(firstRunId);

    await harness.host.runUntilIdle();
    expect(harness.host.mustGet('schedule-nightly').runtimeStatus).toBe('Completed');
    await harness.timer('schedule-nightly');
    const second = harness.host.mustGet('schedule-nightly');
    expect(second.runtimeStatus).toBe('Pending');
    expect((second.input as { runId: string }).runId).not.toBe(firstRunId);
    await harness.host.runUntilIdle();
    expect(harness.host.mustGet('schedule-nightly').runtimeStatus).toBe('Completed');
    // only the files flow ran, twice
    const ran = harness.host.timeline.filter((t) => t.name === 'runEntity').map((t) => t.input.jobId as string);
    expect(ran.every((id) => id.startsWith('files.'))).toBe(true);
    expect(ran).toHaveLength(6);
  });
});
