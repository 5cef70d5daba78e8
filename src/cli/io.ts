/** Where a command writes: results to stdout, progress and errors to stderr. Swappable in tests. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** the stream live progress is drawn on */
  progressStream: NodeJS.WriteStream;
}

export const processIO: CliIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  progressStream: process.stderr,
};

/** `hygge go --dry-run | head` closes stdout early: stop quietly instead of printing an EPIPE stack. */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
}
