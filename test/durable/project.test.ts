/**
 * The real app over a real project folder: the `plan` activity loads hygge.yml and builds
 * the plan; entity execution is replaced (these SQL servers do not exist) so the tests can
 * look at scheduling, history size and status size with a thousand entities.
 */
import { CUSTOM_STATUS_LIMIT_BYTES, jsonBytes } from '../../src/orchestration/statusBudget';
import { startHarness, type Harness } from './harness';
import { writeProject, type Fixture } from './projectFixture';
import { durationOf, peakConcurrency, succeeded } from './support';

describe('runs planned from a project', () => {
  let harness: Harness;
  let fixture: Fixture;
  afterEach(async () => {
    await harness?.close();
    fixture?.remove();
    delete process.env.HYGGE_PROJECT_DIR;
  });

  it('keeps every pool_size and the concurrency at every moment (shared and double connections)', async () => {
    fixture = writeProject({ perFlow: 12, caps: { sql_a: 3, sql_b: 2 }, concurrency: 6 });
    process.env.HYGGE_PROJECT_DIR = fixture.dir;
    harness = await startHarness({
      activityDuration: (name, input) => (name === 'runEntity' ? durationOf(input.jobId) : 0),
      activityOverrides: { runEntity: (input) => succeeded(input.jobId) },
    });
    harness.host.startNew('hyggeRun', 'r1', { runId: 'r1', filter: {}, vars: {} });
    await harness.host.runUntilIdle();

    expect(harness.host.mustGet('r1').runtimeStatus).toBe('Completed');
    const peak = peakConcurrency(harness.host.timeline, (id) => fixture.connectionsOf(id));
    expect(peak.byConnection.get('sql_a')).toBeLessThanOrEqual(3);
    expect(peak.byConnection.get('sql_b')).toBeLessThanOrEqual(2);
    expect(peak.overall).toBeLessThanOrEqual(6);
    expect(peak.byConnection.get('sql_a')).toBeGreaterThan(1);
    const ran = harness.host.timeline.filter((t) => t.name === 'runEntity').map((t) => t.input.jobId as string);
    expect(ran.sort()).toEqual([...fixture.ids].sort());
  });

  it('runs 1,000 entities with no orchestration history over ~1,000 events and custom status under 16 KB', async () => {
    fixture = writeProject({ perFlow: 200, caps: { sql_a: 4, sql_b: 2 }, concurrency: 8 });
    process.env.HYGGE_PROJECT_DIR = fixture.dir;
    let maxStatusBytes = 0;
    harness = await startHarness({
      activityDuration: (name, input) => (name === 'runEntity' ? durationOf(input.jobId) : 0),
      activityOverrides: {
        // every 7th entity fails with a long message: the worst case for status size
        runEntity: (input) => {
          const n = Number(/_t(\d+)$/.exec(input.jobId)![1]);
          if (n % 7 === 0) {
            return { ...succeeded(input.jobId), status: 'failed', rows: 0, error: { code: 'SQL_ERROR', message: `Invalid object name '${input.jobId}'. ${'x'.repeat(400)}`, context: {} } };
          }
          for (const instance of harness.host.instances.values()) maxStatusBytes = Math.max(maxStatusBytes, jsonBytes(instance.customStatus ?? null));
          return succeeded(input.jobId);
        },
      },
    });
    harness.host.startNew('hyggeRun', 'big', { runId: 'big', filter: {}, vars: {} });
    await harness.host.runUntilIdle();

    const run = harness.host.mustGet('big');
    expect(run.runtimeStatus).toBe('Failed');
    const stats = harness.host.historyStats();
    expect(stats.maxEventsPerExecution).toBeLessThanOrEqual(1000);
    // lanes did continue as new
    const lanes = [...harness.host.instances.values()].filter((i) => i.name === 'hyggeLane');
    expect(lanes.some((l) => l.executions > 1)).toBe(true);
    for (const instance of harness.host.instances.values()) maxStatusBytes = Math.max(maxStatusBytes, jsonBytes(instance.customStatus ?? null));
    expect(maxStatusBytes).toBeLessThan(CUSTOM_STATUS_LIMIT_BYTES);
    const status = run.customStatus as { counts: Record<string, number>; total: number };
    expect(status.total).toBe(1000);
    expect(status.counts.failed + status.counts.succeeded).toBe(1000);
    expect(harness.host.timeline.filter((t) => t.name === 'runEntity')).toHaveLength(1000);
  });
});
