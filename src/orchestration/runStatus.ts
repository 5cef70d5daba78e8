/**
 * The custom status of a run (orchestrator `hyggeRun`) and of each of its lanes
 * (`hyggeLane`): counts per state and the entity ids that need attention, never one entry
 * per entity, so both stay far below Durable's 16 KB limit at any run size.
 */
import { countOutcomes, type EntityOutcome, type OutcomeCounts } from './outcome';
import { fitToBudget, LIST_BUDGET_BYTES } from './statusBudget';

export interface FailedEntity {
  id: string;
  code: string;
  message: string;
}

export interface RunStatus {
  runId: string;
  phase: 'planning' | 'running' | 'finished';
  total: number;
  lanes: number;
  counts: OutcomeCounts;
  rows: number;
  failed: FailedEntity[];
  /** failed entities left out of `failed` to stay within the size limit */
  failedOmitted: number;
}

export interface LaneStatus {
  runId: string;
  lane: number;
  total: number;
  done: number;
  /** the entity this lane is running now, if any */
  running: string | null;
  counts: OutcomeCounts;
  rows: number;
  /** the latest outcomes, newest last, for live progress (rows, rows/s) */
  recent: EntityOutcome[];
  failed: FailedEntity[];
  failedOmitted: number;
}

export const RECENT_OUTCOMES = 10;
const FAILED_MESSAGE_CHARS = 200;

const noCounts = (): OutcomeCounts => ({ succeeded: 0, failed: 0, skipped: 0 });

export function planningStatus(runId: string): RunStatus {
  return { runId, phase: 'planning', total: 0, lanes: 0, counts: noCounts(), rows: 0, failed: [], failedOmitted: 0 };
}

export function runningStatus(runId: string, total: number, lanes: number): RunStatus {
  return { runId, phase: 'running', total, lanes, counts: noCounts(), rows: 0, failed: [], failedOmitted: 0 };
}

export function finishedStatus(runId: string, lanes: number, outcomes: readonly EntityOutcome[]): RunStatus {
  const failed = failedEntities(outcomes, LIST_BUDGET_BYTES);
  return {
    runId,
    phase: 'finished',
    total: outcomes.length,
    lanes,
    counts: countOutcomes(outcomes),
    rows: sumRows(outcomes),
    failed: failed.items,
    failedOmitted: failed.omitted,
  };
}

export function laneStatus(
  runId: string,
  lane: number,
  total: number,
  outcomes: readonly EntityOutcome[],
  running: string | null,
): LaneStatus {
  const recent = fitToBudget(outcomes.slice(-RECENT_OUTCOMES).map(withoutHint), LIST_BUDGET_BYTES / 2);
  const failed = failedEntities(outcomes, LIST_BUDGET_BYTES / 2);
  return {
    runId,
    lane,
    total,
    done: outcomes.length,
    running,
    counts: countOutcomes(outcomes),
    rows: sumRows(outcomes),
    recent: recent.items,
    failed: failed.items,
    failedOmitted: failed.omitted,
  };
}

function failedEntities(outcomes: readonly EntityOutcome[], budget: number) {
  const failed = outcomes
    .filter((o) => o.status === 'failed')
    .map((o) => ({
      id: o.id,
      code: o.error?.code ?? 'INTERNAL',
      message: (o.error?.message ?? '').slice(0, FAILED_MESSAGE_CHARS),
    }));
  return fitToBudget(failed, budget);
}

function withoutHint(o: EntityOutcome): EntityOutcome {
  if (!o.error) return o;
  return { ...o, error: { code: o.error.code, message: o.error.message.slice(0, FAILED_MESSAGE_CHARS) } };
}

function sumRows(outcomes: readonly EntityOutcome[]): number {
  return outcomes.reduce((sum, o) => sum + o.rows, 0);
}
