import type { RunEvents } from '../../engine/localRunner';
import { PlainProgress } from './plainProgress';
import { TtyProgress } from './ttyProgress';

/** Run events shown to a person; `stop()` ends the display before the summary is printed. */
export interface ProgressReporter extends Required<RunEvents> {
  stop(): void;
}

/** Live lines on a terminal, plain lines otherwise (progress goes to stderr, results to stdout). */
export function progressReporter(stream: NodeJS.WriteStream, jobIds: readonly string[]): ProgressReporter {
  return stream.isTTY ? new TtyProgress(stream, jobIds) : new PlainProgress((line) => stream.write(`${line}\n`));
}
