/**
 * One error family for everything hygge reports to a user.
 *
 * A HyggeError says what happened (`message`), what to do about it (`hint`), and where
 * (`context`: flow, entity, file, key path, connection). The CLI prints it without a stack
 * trace; the Functions app puts `toJSON()` into the run status. Codes are stable strings so
 * tests and monitoring can match on them.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_VARIABLE_UNSET'
  | 'FILTER_INVALID'
  | 'SOURCE_NOT_FOUND'
  | 'SOURCE_CORRUPT'
  | 'DESTINATION_NOT_WRITABLE'
  | 'CONNECTION_FAILED'
  | 'AUTH_FAILED'
  | 'SQL_ERROR'
  | 'SCHEMA_MISMATCH'
  | 'TRANSIENT_EXHAUSTED'
  | 'CANCELLED'
  | 'INTERNAL';

export interface ErrorContext {
  flow?: string;
  entity?: string;
  file?: string;
  keyPath?: string;
  connection?: string;
  /** SQL Server error number, when the cause is a server error. */
  sqlNumber?: number;
}

export interface HyggeErrorJson {
  code: ErrorCode;
  message: string;
  hint?: string;
  context: ErrorContext;
}

export class HyggeError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly context: ErrorContext;
  /** a transient fault (throttling, failover, dropped connection): the entity may be run again */
  readonly retryable: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { hint?: string; context?: ErrorContext; cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HyggeError';
    this.code = code;
    this.hint = opts.hint;
    this.context = { ...opts.context };
    this.retryable = opts.retryable ?? false;
  }

  /** A copy with more context; inner context wins, so the most specific location is kept. */
  withContext(extra: ErrorContext): HyggeError {
    const copy = new HyggeError(this.code, this.message, {
      hint: this.hint,
      context: { ...extra, ...this.context },
      cause: this.cause,
      retryable: this.retryable,
    });
    copy.stack = this.stack;
    return copy;
  }

  /** One readable paragraph: where, what, what to do. */
  describe(): string {
    const where = describeContext(this.context);
    const lines = [where ? `${where}: ${this.message}` : this.message];
    if (this.hint) lines.push(`  → ${this.hint}`);
    return lines.join('\n');
  }

  toJSON(): HyggeErrorJson {
    return { code: this.code, message: this.message, hint: this.hint, context: this.context };
  }
}

export function describeContext(c: ErrorContext): string {
  const parts: string[] = [];
  if (c.flow && c.entity) parts.push(`${c.flow}.${c.entity}`);
  else if (c.flow) parts.push(`flow ${c.flow}`);
  else if (c.entity) parts.push(`entity ${c.entity}`);
  if (c.connection) parts.push(`connection ${c.connection}`);
  if (c.file) parts.push(c.keyPath ? `${c.file} at ${c.keyPath}` : c.file);
  else if (c.keyPath) parts.push(`at ${c.keyPath}`);
  if (c.sqlNumber !== undefined) parts.push(`SQL error ${c.sqlNumber}`);
  return parts.join(', ');
}

/** The hint for a failure hygge has no explanation for. */
export const UNEXPECTED_HINT = 'This is unexpected; run again with --verbose for the stack trace and report it.';

/**
 * Wraps anything thrown into a HyggeError, keeping a HyggeError's own code and hint.
 * `doing` names the step for a foreign error: "reading Parquet" → "reading Parquet failed: …".
 */
export function toHyggeError(err: unknown, context: ErrorContext = {}, doing?: string): HyggeError {
  if (err instanceof HyggeError) return err.withContext(context);
  const message = err instanceof Error ? err.message : String(err);
  return new HyggeError('INTERNAL', doing === undefined ? message : `${doing} failed: ${message}`, {
    context,
    cause: err,
    hint: UNEXPECTED_HINT,
  });
}

/** A run was cancelled (Ctrl-C, a cancelled Functions run) before the entity was published. */
export function cancelledError(when = 'before this entity finished'): HyggeError {
  return new HyggeError('CANCELLED', `the run was cancelled ${when}; nothing was published`, {
    hint: 'Run it again; the previous data is untouched.',
  });
}
