/** The table printed after a run, and the errors of the entities that failed. */
import type { EntitySummary } from '../../engine/summary';
import { HyggeError } from '../../errors';
import { formatCount, formatRate, formatSeconds, formatTable, indent } from './format';

export function summaryText(summaries: readonly EntitySummary[]): string {
  if (summaries.length === 0) return 'Nothing ran: no enabled entity matches the selection.';
  const rows = summaries.map((s) => [s.id, s.status, formatCount(s.rows), formatSeconds(s.seconds), formatRate(s.rows, s.seconds)]);
  const lines = [formatTable(['entity', 'status', 'rows', 'seconds', 'rows/s'], rows, [false, false, true, true, true])];

  const failed = summaries.filter((s) => s.status === 'failed');
  const succeeded = summaries.filter((s) => s.status === 'succeeded').length;
  lines.push('', `${succeeded} succeeded, ${failed.length} failed${summaries.length - succeeded - failed.length > 0 ? `, ${summaries.length - succeeded - failed.length} skipped` : ''}.`);
  for (const s of failed) {
    lines.push('', `✗ ${s.id}`, indent(errorOf(s).describe()));
  }
  return lines.join('\n');
}

/** The summary's error as a HyggeError, so it reads like every other error the CLI prints. */
export function errorOf(summary: EntitySummary): HyggeError {
  const e = summary.error;
  if (!e) return new HyggeError('INTERNAL', 'failed without an error message', { context: { flow: summary.flow, entity: summary.entity } });
  // The table already names the entity; keep the rest of the context (file, connection, …).
  const { flow: _flow, entity: _entity, ...context } = e.context;
  return new HyggeError(e.code, e.message, { hint: e.hint, context });
}
