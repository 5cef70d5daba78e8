/**
 * What a lane keeps about one finished entity: the EntitySummary without what the run view
 * does not need (flow/entity are in the id, parts and watermark are in the journal), so a
 * run's outcomes stay small in Durable history and outputs.
 */
import type { EntityStatus, EntitySummary } from '../engine/summary';
import type { HyggeErrorJson } from '../errors';

export interface OutcomeError {
  code: string;
  message: string;
  hint?: string;
}

export interface EntityOutcome {
  id: string;
  status: EntityStatus;
  rows: number;
  bytes: number;
  seconds: number;
  error?: OutcomeError;
}

export type OutcomeCounts = Record<EntityStatus, number>;

/** Long messages (SQL text, stack-like details) are cut here: the journal has the full record. */
export const MAX_ERROR_MESSAGE = 500;

export function outcomeOf(summary: EntitySummary): EntityOutcome {
  return {
    id: summary.id,
    status: summary.status,
    rows: summary.rows,
    bytes: summary.bytes,
    seconds: Math.round(summary.seconds * 1000) / 1000,
    ...(summary.error ? { error: compactError(summary.error) } : {}),
  };
}

export function failedOutcome(id: string, error: HyggeErrorJson | OutcomeError): EntityOutcome {
  return { id, status: 'failed', rows: 0, bytes: 0, seconds: 0, error: compactError(error) };
}

export function compactError(error: HyggeErrorJson | OutcomeError): OutcomeError {
  return {
    code: error.code,
    message: truncate(error.message, MAX_ERROR_MESSAGE),
    ...(error.hint ? { hint: truncate(error.hint, 200) } : {}),
  };
}

export function countOutcomes(outcomes: readonly EntityOutcome[]): OutcomeCounts {
  const counts: OutcomeCounts = { succeeded: 0, failed: 0, skipped: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
