/**
 * How the CLI shows an error that stops a command: HyggeError.describe() (where, what, what
 * to do), the stack only with --verbose, and an exit code that tells config/usage problems
 * (2) from failures while running (1).
 */
import { HyggeError, toHyggeError, type ErrorCode } from '../errors';
import { EXIT_ENTITY_FAILED, EXIT_USAGE } from './exitCodes';

const USAGE_CODES: ReadonlySet<ErrorCode> = new Set(['CONFIG_INVALID', 'CONFIG_NOT_FOUND', 'CONFIG_VARIABLE_UNSET', 'FILTER_INVALID']);

export function exitCodeFor(err: HyggeError): number {
  return USAGE_CODES.has(err.code) ? EXIT_USAGE : EXIT_ENTITY_FAILED;
}

export function formatError(err: unknown, verbose: boolean): string {
  const error = toHyggeError(err);
  const lines = [`error: ${error.describe()}`];
  if (verbose) {
    const original = error.cause instanceof Error ? error.cause : error;
    if (original.stack) lines.push(original.stack);
  }
  return lines.join('\n');
}

/** Prints the error to stderr and returns the exit code to use. */
export function reportError(err: unknown, verbose: boolean, writeErr: (text: string) => void): number {
  writeErr(`${formatError(err, verbose)}\n`);
  return exitCodeFor(toHyggeError(err));
}
