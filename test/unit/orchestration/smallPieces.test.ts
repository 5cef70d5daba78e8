import { decodeFailure, encodeFailure } from '../../../src/orchestration/failureMarker';
import { entitiesPerExecution, worstEventsPerEntity, HISTORY_EVENT_TARGET } from '../../../src/orchestration/historyBudget';
import { ncrontabProblem } from '../../../src/orchestration/ncrontab';
import { retryDelayMs, retrySettingsFor } from '../../../src/orchestration/retry';
import { isRetryable } from '../../../src/orchestration/retryable';
import { parseRunRequest } from '../../../src/orchestration/runRequest';

describe('NCRONTAB check', () => {
  it.each(['0 */5 * * * *', '0 30 2 * * *', '0 0 9-17 * * MON-FRI', '*/10 0,30 1-5/2 1 JAN,jul 0'])('accepts %s', (cron) => {
    expect(ncrontabProblem(cron)).toBeUndefined();
  });
  it.each([
    ['*/5 * * * *', /five|5 fields|six/],
    ['0 60 * * * *', /minute/],
    ['0 0 24 * * *', /hour/],
    ['0 0 0 0 * *', /day/],
    ['0 0 0 * 13 *', /month/],
    ['0 0 0 * * 7', /weekday/],
    ['0 0 5-1 * * *', /backwards/],
    ['0 */0 * * * *', /step/],
  ])('rejects %s', (cron, why) => {
    expect(ncrontabProblem(cron)).toMatch(why);
  });
});

describe('retry settings', () => {
  it('doubles from initial_delay_ms up to max_delay_ms', () => {
    const s = retrySettingsFor({ attempts: 5, initial_delay_ms: 1000, max_delay_ms: 5000 });
    expect(s).toEqual({ firstRetryIntervalMs: 1000, maxAttempts: 5, backoffCoefficient: 2, maxRetryIntervalMs: 5000 });
    expect([0, 1, 2, 3].map((n) => retryDelayMs(s, n))).toEqual([1000, 2000, 4000, 5000]);
  });
  it('retries connection trouble, not config or data problems', () => {
    expect(isRetryable('CONNECTION_FAILED')).toBe(true);
    expect(isRetryable('SCHEMA_MISMATCH')).toBe(false);
    expect(isRetryable('SOURCE_NOT_FOUND')).toBe(false);
  });
});

describe('history budget', () => {
  it('keeps the worst case of a lane execution under the target', () => {
    for (const attempts of [1, 3, 5, 10, 50, 200]) {
      const n = entitiesPerExecution(attempts);
      expect(n).toBeGreaterThanOrEqual(1);
      if (n > 1) expect(n * worstEventsPerEntity(attempts)).toBeLessThanOrEqual(HISTORY_EVENT_TARGET);
    }
  });
});

describe('failure marker', () => {
  it('round-trips a HyggeError through wrapped text', () => {
    const text = `Activity function 'runEntity' failed: ${encodeFailure({ code: 'CONNECTION_FAILED', message: 'socket hang up', hint: 'check the firewall', context: {} })} \n at stack`;
    expect(decodeFailure(text)).toEqual({ code: 'CONNECTION_FAILED', message: 'socket hang up', hint: 'check the firewall' });
    expect(decodeFailure('boom')).toEqual({ code: 'INTERNAL', message: 'boom' });
  });
});

describe('run request', () => {
  it('accepts an empty body and a full one', () => {
    expect(parseRunRequest(undefined)).toEqual({ filter: {}, vars: {} });
    expect(parseRunRequest({ flows: ['a'], entities: ['a.b'], run_type: 'incremental', vars: { X: '1' } })).toEqual({
      filter: { flows: ['a'], entities: ['a.b'], run_type: 'incremental' },
      vars: { X: '1' },
    });
  });
  it('says what is wrong with a bad body', () => {
    expect(() => parseRunRequest({ flows: 'sales' })).toThrow(/flows/);
    expect(() => parseRunRequest({ flow: ['sales'] })).toThrow(/flow/);
    expect(() => parseRunRequest({ run_type: 'weekly' })).toThrow(/run_type/);
  });
});
