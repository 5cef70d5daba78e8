/**
 * The real hyggeRun / hyggeLane orchestrators, replayed by the harness, with the plan and
 * entity activities replaced by hand-made results: what is tested here is scheduling.
 */
import { startHarness, type Harness } from './harness';
import { durationOf, peakConcurrency, plannedRun, succeeded, type HandJob } from './support';

function jobs(prefix: string, n: number, connections: string[]): HandJob[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}.e${i}`, connections }));
}

describe('scheduling through the real orchestrators', () => {
  let harness: Harness;
  afterEach(async () => harness?.close());

  it('never runs more entities on a connection than its cap, across flows and lanes', async () => {
    const all = [
      ...jobs('sales', 25, ['sql_a']),
      ...jobs('hr', 20, ['sql_a']), // shares sql_a with sales
      ...jobs('copy', 15, ['sql_a', 'sql_b']), // one entity, two connections
      ...jobs('dw', 20, ['sql_b']),
      ...jobs('files', 30, []),
    ];
    const caps = { sql_a: 3, sql_b: 2 };
    const byId = new Map(all.map((j) => [j.id, j.connections]));
    const plan = plannedRun('run-caps', all, caps, 6);
    harness = await startHarness({
      activityDuration: (name, input) => (name === 'runEntity' ? durationOf(input.jobId) : 0),
      activityOverrides: { plan: () => plan, runEntity: (input) => succeeded(input.jobId) },
    });
    harness.host.startNew('hyggeRun', 'run-caps', { runId: 'run-caps', filter: {}, vars: {} });
    await harness.host.runUntilIdle();

    const run = harness.host.mustGet('run-caps');
    expect(run.runtimeStatus).toBe('Completed');
    const peak = peakConcurrency(harness.host.timeline, (id) => byId.get(id)!);
    expect(peak.byConnection.get('sql_a')).toBeLessThanOrEqual(3);
    expect(peak.byConnection.get('sql_b')).toBeLessThanOrEqual(2);
    expect(peak.overall).toBeLessThanOrEqual(6);
    // and the caps were actually used: lanes overlapped
    expect(peak.overall).toBeGreaterThan(1);

    // every entity ran exactly once
    const ran = harness.host.timeline.filter((t) => t.name === 'runEntity').map((t) => t.input.jobId as string);
    expect(ran.sort()).toEqual(all.map((j) => j.id).sort());
    const output = run.output as { counts: Record<string, number>; entities: unknown[] };
    expect(output.counts).toEqual({ succeeded: all.length, failed: 0, skipped: 0 });
  });
});

describe('retries, failures and replay', () => {
  let harness: Harness;
  afterEach(async () => harness?.close());

  it('retries a failing activity per policy: fails twice, succeeds on the 3rd attempt, timers 1s then 2s', async () => {
    const all = jobs('sales', 3, ['sql']);
    const plan = plannedRun('run-retry', all, { sql: 1 }, 4, { attempts: 4, initial_delay_ms: 1000, max_delay_ms: 60_000 });
    harness = await startHarness({
      activityOverrides: {
        plan: () => plan,
        runEntity: (input) => {
          const attempt = harness.host.countAttempt(input.jobId);
          if (input.jobId === 'sales.e1' && attempt <= 2) {
            throw new Error(`[hygge-error]{"code":"CONNECTION_FAILED","message":"reset by peer ${attempt}"}[/hygge-error]`);
          }
          return succeeded(input.jobId);
        },
      },
    });
    harness.host.startNew('hyggeRun', 'run-retry', { runId: 'run-retry', filter: {}, vars: {} });
    await harness.host.runUntilIdle();

    expect(harness.host.mustGet('run-retry').runtimeStatus).toBe('Completed');
    const attempts = harness.host.timeline.filter((t) => t.input?.jobId === 'sales.e1');
    expect(attempts.map((a) => [a.attempt, a.ok])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(attempts[1]!.start - attempts[0]!.end).toBe(1000);
    expect(attempts[2]!.start - attempts[1]!.end).toBe(2000);
    // the lane's history shows the host's retry timers with those intervals
    const lane = harness.host.mustGet('run-retry:lane-0');
    const timers = lane.finishedHistory.filter((e) => e.EventType === 10 /* TimerCreated */);
    expect(timers.map((t) => Date.parse(t.FireAt as string) - Date.parse(t.Timestamp))).toEqual([1000, 2000]);
  });

  it('records an entity that fails every attempt and lets the others finish; the run fails naming it', async () => {
    const all = [...jobs('sales', 4, ['sql']), ...jobs('files', 4, [])];
    const plan = plannedRun('run-fail', all, { sql: 2 }, 3, { attempts: 2, initial_delay_ms: 500, max_delay_ms: 500 });
    harness = await startHarness({
      activityDuration: (name, input) => (name === 'runEntity' ? durationOf(input.jobId) : 0),
      activityOverrides: {
        plan: () => plan,
        runEntity: (input) => {
          if (input.jobId === 'sales.e2') throw new Error('[hygge-error]{"code":"CONNECTION_FAILED","message":"server went away"}[/hygge-error]');
          if (input.jobId === 'files.e1') {
            return { ...succeeded(input.jobId), status: 'failed', rows: 0, error: { code: 'SOURCE_NOT_FOUND', message: 'no files', context: {} } };
          }
          return succeeded(input.jobId);
        },
      },
    });
    harness.host.startNew('hyggeRun', 'run-fail', { runId: 'run-fail', filter: {}, vars: {} });
    await harness.host.runUntilIdle();

    const run = harness.host.mustGet('run-fail');
    expect(run.runtimeStatus).toBe('Failed');
    expect(run.output).toMatch(/2 of 8 entities failed: .*sales\.e2 \(CONNECTION_FAILED\)/);
    expect(run.output).toMatch(/files\.e1 \(SOURCE_NOT_FOUND\)/);
    const status = run.customStatus as { phase: string; counts: Record<string, number>; failed: Array<{ id: string; code: string; message: string }> };
    expect(status.phase).toBe('finished');
    expect(status.counts).toEqual({ succeeded: 6, failed: 2, skipped: 0 });
    expect(status.failed).toEqual(
      expect.arrayContaining([
        { id: 'sales.e2', code: 'CONNECTION_FAILED', message: 'server went away' },
        { id: 'files.e1', code: 'SOURCE_NOT_FOUND', message: 'no files' },
      ]),
    );
    // retried once (2 attempts), not-retryable failure ran once, everything else once
    const count = (id: string) => harness.host.timeline.filter((t) => t.input?.jobId === id).length;
    expect(count('sales.e2')).toBe(2);
    expect(count('files.e1')).toBe(1);
    expect(all.filter((j) => j.id !== 'sales.e2').every((j) => count(j.id) === 1)).toBe(true);
  });

  it('replaying finished histories gives no new actions (determinism)', async () => {
    const all = [...jobs('a', 6, ['x']), ...jobs('b', 6, [])];
    const plan = plannedRun('run-replay', all, { x: 2 }, 3);
    harness = await startHarness({ activityOverrides: { plan: () => plan, runEntity: (input) => succeeded(input.jobId) } });
    harness.host.startNew('hyggeRun', 'run-replay', { runId: 'run-replay', filter: {}, vars: {} });
    // stop halfway: the parent waits on its lanes, the lanes are mid-way
    await harness.host.runUntilIdle({ maxEpisodes: 12 });
    for (const id of harness.host.instances.keys()) {
      const replayed = await harness.host.replay(id);
      expect({ id, newActions: replayed.newActions }).toEqual({ id, newActions: [] });
    }
    await harness.host.runUntilIdle();
    expect(harness.host.mustGet('run-replay').runtimeStatus).toBe('Completed');
  });
});
