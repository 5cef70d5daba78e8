import type { EntityOutcome } from '../../../src/orchestration/outcome';
import { finishedStatus, laneStatus } from '../../../src/orchestration/runStatus';
import { CUSTOM_STATUS_LIMIT_BYTES, jsonBytes } from '../../../src/orchestration/statusBudget';
import { failureMessage, runOutput } from '../../../src/orchestration/runOutput';

function outcomes(n: number, failedEvery: number): EntityOutcome[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `some_rather_long_flow_name.entity_with_a_long_table_name_${i}`;
    return i % failedEvery === 0
      ? { id, status: 'failed', rows: 0, bytes: 0, seconds: 1.5, error: { code: 'SQL_ERROR', message: 'x'.repeat(500), hint: 'h'.repeat(200) } }
      : { id, status: 'succeeded', rows: 123456, bytes: 9999999, seconds: 12.345 };
  });
}

describe('run and lane custom status', () => {
  it('stays under 16 KB for 1,000 entities that all failed with long messages', () => {
    const all = outcomes(1000, 1);
    const run = finishedStatus('20261123T000000Z-abcdef', 8, all);
    expect(jsonBytes(run)).toBeLessThan(CUSTOM_STATUS_LIMIT_BYTES);
    expect(run.counts.failed).toBe(1000);
    expect(run.failed.length + run.failedOmitted).toBe(1000);
    const lane = laneStatus('20261123T000000Z-abcdef', 3, 1000, all, 'x.y');
    expect(jsonBytes(lane)).toBeLessThan(CUSTOM_STATUS_LIMIT_BYTES);
    expect(lane.failed.length + lane.failedOmitted).toBe(1000);
  });

  it('lists every failure when they fit', () => {
    const run = finishedStatus('r', 2, outcomes(10, 5));
    expect(run.failed.map((f) => f.id)).toHaveLength(2);
    expect(run.failedOmitted).toBe(0);
    expect(run.counts).toEqual({ succeeded: 8, failed: 2, skipped: 0 });
  });

  it('names failed entities in the failure message, trimmed after 20', () => {
    expect(failureMessage(runOutput('r', 'p', outcomes(3, 10)))).toMatch(/1 of 3 entities failed: .*_0 \(SQL_ERROR\)$/);
    expect(failureMessage(runOutput('r', 'p', outcomes(30, 1)))).toMatch(/30 of 30 entities failed: .* and 10 more$/);
    expect(failureMessage(runOutput('r', 'p', outcomes(3, 1000).slice(1)))).toBeUndefined();
  });
});
