/** Live progress on a terminal: one line per entity with rows and rows/s (cli-progress). */
import { MultiBar, type SingleBar } from 'cli-progress';
import type { EntityJob } from '../../plan/job';
import type { EntitySummary } from '../../engine/summary';
import type { ProgressReporter } from './progressReporter';
import { formatCount, formatRate, formatSeconds } from './format';

interface Line {
  bar: SingleBar;
  started: number;
}

export class TtyProgress implements ProgressReporter {
  private readonly multibar: MultiBar;
  private readonly lines = new Map<string, Line>();
  private readonly idWidth: number;

  constructor(stream: NodeJS.WritableStream, jobIds: readonly string[]) {
    this.idWidth = Math.max(6, ...jobIds.map((id) => id.length));
    // No {bar}: row counts have no known total, so a bar would only pretend to know.
    this.multibar = new MultiBar({
      stream: stream as NodeJS.WriteStream,
      format: '{status} {id} {rows} rows  {rate} rows/s  {seconds} s',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      fps: 5,
      autopadding: false,
    });
  }

  onStart(job: EntityJob): void {
    const bar = this.multibar.create(0, 0, this.payload('…', job.id, 0, 0));
    this.lines.set(job.id, { bar, started: Date.now() });
  }

  onProgress(job: EntityJob, p: { rows: number }): void {
    const line = this.lines.get(job.id);
    if (!line) return;
    line.bar.update(p.rows, this.payload('…', job.id, p.rows, (Date.now() - line.started) / 1000));
  }

  onFinish(s: EntitySummary): void {
    const line = this.lines.get(s.id);
    if (!line) return;
    const mark = s.status === 'succeeded' ? '✓' : s.status === 'failed' ? '✗' : '–';
    line.bar.update(s.rows, this.payload(mark, s.id, s.rows, s.seconds));
    line.bar.stop();
  }

  stop(): void {
    this.multibar.stop();
  }

  private payload(status: string, id: string, rows: number, seconds: number) {
    return {
      status,
      id: id.padEnd(this.idWidth),
      rows: formatCount(rows).padStart(12),
      rate: formatRate(rows, seconds).padStart(10),
      seconds: formatSeconds(seconds).padStart(6),
    };
  }
}
