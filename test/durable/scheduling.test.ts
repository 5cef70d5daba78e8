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
