/**
 * Which entity failures are worth another attempt. Durable retries an activity only when it
 * throws, so the runEntity activity throws for these and returns a failed summary for the
 * rest: a missing table or a schema mismatch fails the same way every time, while a dropped
 * connection or a throttled server often does not. Retrying is safe because an entity
 * publishes only after it has staged everything.
 */
import type { ErrorCode } from '../errors';

const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['CONNECTION_FAILED', 'TRANSIENT_EXHAUSTED', 'INTERNAL']);

export function isRetryable(code: string): boolean {
  return RETRYABLE.has(code as ErrorCode);
}
