/**
 * What a finished run returns (the orchestration output), and the message a run with failed
 * entities fails with, so monitoring shows it as Failed and says which entities to look at.
 */
import { countOutcomes, type EntityOutcome, type OutcomeCounts } from './outcome';

export interface RunOutput {
  runId: string;
  project: string;
  total: number;
  counts: OutcomeCounts;
  rows: number;
  bytes: number;
  entities: EntityOutcome[];
}

const LISTED_FAILURES = 20;

export function runOutput(runId: string, project: string, outcomes: readonly EntityOutcome[]): RunOutput {
  return {
    runId,
    project,
    total: outcomes.length,
    counts: countOutcomes(outcomes),
    rows: outcomes.reduce((s, o) => s + o.rows, 0),
    bytes: outcomes.reduce((s, o) => s + o.bytes, 0),
    entities: [...outcomes],
  };
}

/** `2 of 5 entities failed: sales.orders (SQL_ERROR), sales.lines (CONNECTION_FAILED)` */
export function failureMessage(output: RunOutput): string | undefined {
  const failed = output.entities.filter((o) => o.status === 'failed');
  if (failed.length === 0) return undefined;
  const listed = failed.slice(0, LISTED_FAILURES).map((o) => `${o.id} (${o.error?.code ?? 'INTERNAL'})`);
  const more = failed.length > LISTED_FAILURES ? ` and ${failed.length - LISTED_FAILURES} more` : '';
  return `run ${output.runId}: ${failed.length} of ${output.total} entities failed: ${listed.join(', ')}${more}`;
}
