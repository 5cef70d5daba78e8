import type { BackoffOptions } from 'exponential-backoff';
import type { RetryPolicy } from '../config/schema';

/**
 * `options.retry` as exponential-backoff settings: the first wait is initial_delay_ms, each
 * next one twice as long up to max_delay_ms, with full jitter (so many retrying sessions do not
 * hit a throttled server in step), at most `attempts` attempts. `retry` says which errors are
 * worth another attempt.
 */
export function backoffOptions(policy: RetryPolicy, retry: (err: unknown) => boolean): BackoffOptions {
  return {
    numOfAttempts: policy.attempts,
    startingDelay: policy.initial_delay_ms,
    maxDelay: policy.max_delay_ms,
    timeMultiple: 2,
    jitter: 'full',
    retry,
  };
}
