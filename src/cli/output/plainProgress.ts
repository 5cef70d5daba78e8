/**
 * Progress as plain lines, for logs and pipes: one line when an entity starts and when it
 * finishes, and at most one line every few seconds while rows are moving.
 */
import type { EntityJob } from '../../plan/job';
import type { EntitySummary } from '../../engine/summary';
import type { ProgressReporter } from './progressReporter';
import { formatCount, formatRate, formatSeconds } from './format';

interface Running {
  started: number;
  rows: number;
}

export class PlainProgress implements ProgressReporter {
  private readonly running = new Map<string, Running>();
  private lastLine: number;

  constructor(
    private readonly write: (line: string) => void,
    private readonly intervalMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {
    this.lastLine = now();
  }

  onStart(job: EntityJob): void {
    this.running.set(job.id, { started: this.now(), rows: 0 });
    this.write(`▶ ${job.id} started`);
  }

  onProgress(job: EntityJob, p: { rows: number }): void {
    const entry = this.running.get(job.id);
    if (entry) entry.rows = p.rows;
    const now = this.now();
    if (now - this.lastLine < this.intervalMs) return;
    this.lastLine = now;
    const parts = [...this.running].map(([id, r]) => `${id} ${formatCount(r.rows)} rows (${formatRate(r.rows, (now - r.started) / 1000)} rows/s)`);
    this.write(`… ${parts.join('; ')}`);
  }

  onFinish(s: EntitySummary): void {
    this.running.delete(s.id);
    if (s.status === 'failed') {
      this.write(`✗ ${s.id} failed after ${formatSeconds(s.seconds)} s: ${s.error?.message.split('\n')[0] ?? 'no message'}`);
    } else {
      this.write(`${s.status === 'succeeded' ? '✓' : '–'} ${s.id} ${s.status}: ${formatCount(s.rows)} rows in ${formatSeconds(s.seconds)} s (${formatRate(s.rows, s.seconds)} rows/s)`);
    }
  }

  stop(): void {}
}
