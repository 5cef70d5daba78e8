/** options.retry → Durable RetryOptions (first interval, attempts, ×2 backoff, max interval). */
import * as df from 'durable-functions';
import type { RetryPolicy } from '../../src/config/schema';
import { retrySettingsFor } from '../../src/orchestration/retry';

export function retryOptionsFor(policy: RetryPolicy): df.RetryOptions {
  const settings = retrySettingsFor(policy);
  const options = new df.RetryOptions(settings.firstRetryIntervalMs, settings.maxAttempts);
  options.backoffCoefficient = settings.backoffCoefficient;
  options.maxRetryIntervalInMilliseconds = settings.maxRetryIntervalMs;
  return options;
}
