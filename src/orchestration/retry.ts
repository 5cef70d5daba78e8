/**
 * options.retry as Durable retry settings: first interval initial_delay_ms, at most
 * `attempts` attempts, each wait twice the previous one, never longer than max_delay_ms.
 * Plain data here (src/ does not import durable-functions); functions/ builds RetryOptions.
 */
import type { RetryPolicy } from '../config/schema';

export const BACKOFF_COEFFICIENT = 2;

export interface RetrySettings {
  firstRetryIntervalMs: number;
  maxAttempts: number;
  backoffCoefficient: number;
  maxRetryIntervalMs: number;
}

export function retrySettingsFor(policy: RetryPolicy): RetrySettings {
  return {
    firstRetryIntervalMs: policy.initial_delay_ms,
    maxAttempts: policy.attempts,
    backoffCoefficient: BACKOFF_COEFFICIENT,
    maxRetryIntervalMs: Math.max(policy.max_delay_ms, policy.initial_delay_ms),
  };
}

/**
 * The wait after failed attempt `n` (0-based), as the Durable host computes it:
 * first · coefficient^n, capped at the max interval.
 */
export function retryDelayMs(settings: RetrySettings, failedAttempt: number): number {
  const delay = settings.firstRetryIntervalMs * Math.pow(settings.backoffCoefficient, failedAttempt);
  return Math.min(delay, settings.maxRetryIntervalMs);
}
