/**
 * What a SQL Server error means for hygge: is it transient (retry), and what to tell the user.
 * The numbers are Azure SQL's documented transient faults plus the network-level ones; socket
 * resets and timeouts from tedious/mssql count too.
 */
import { HyggeError, type ErrorCode, type ErrorContext } from '../../errors';

interface Meaning {
  text: string;
  transient: boolean;
  hint?: string;
  /** the error code when it says more than the caller's (a refused login is not a network fault) */
  code?: ErrorCode;
}

const WAIT_AND_RERUN = 'This is usually temporary: hygge retried; run again later, or raise options.retry.attempts.';

export const SQL_ERROR_MEANINGS: Record<number, Meaning> = {
  64: { text: 'the connection was dropped by the network or the server', transient: true, hint: WAIT_AND_RERUN },
  233: { text: 'the server closed the connection (no process on the other end of the pipe)', transient: true, hint: WAIT_AND_RERUN },
  4060: { text: 'cannot open the database requested by the login (it may be moving or starting)', transient: true, hint: 'Check the database name; if it is right, the database is starting or failing over: run again in a minute.' },
  10053: { text: 'the connection was aborted by the host', transient: true, hint: WAIT_AND_RERUN },
  10054: { text: 'the connection was reset by the peer', transient: true, hint: WAIT_AND_RERUN },
  10060: { text: 'the connection attempt timed out', transient: true, hint: WAIT_AND_RERUN },
  10928: { text: 'resource limit reached (requests or sessions) for the database', transient: true, hint: 'Lower pool_size or parallel_workers, or scale the database up.' },
  10929: { text: 'the database is at its resource limit and cannot guarantee its minimum', transient: true, hint: 'Lower pool_size or parallel_workers, or scale the database up.' },
  40197: { text: 'the service hit an error processing the request (often an upgrade or failover)', transient: true, hint: WAIT_AND_RERUN },
  40501: { text: 'the service is busy (throttling)', transient: true, hint: 'Run again in a few seconds; lower pool_size or parallel_workers if it persists.' },
  40613: { text: 'database unavailable (failover or paused serverless database)', transient: true, hint: 'A paused serverless database resumes on first use: run again in a minute.' },
  49918: { text: 'not enough resources to process the request', transient: true, hint: WAIT_AND_RERUN },
  49919: { text: 'too many create or update operations in progress for the subscription', transient: true, hint: WAIT_AND_RERUN },
  49920: { text: 'too many operations in progress for the subscription', transient: true, hint: WAIT_AND_RERUN },
  1205: { text: 'the transaction was chosen as a deadlock victim', transient: true, hint: WAIT_AND_RERUN },
  208: { text: 'invalid object name (the table or view does not exist)', transient: false },
  207: { text: 'invalid column name', transient: false },
  18456: { text: 'login failed', transient: false, code: 'AUTH_FAILED', hint: 'Check the user, password or identity, and that it has a user in the database.' },
  229: { text: 'permission denied', transient: false, code: 'AUTH_FAILED', hint: 'Grant the identity the permission named in the message.' },
  262: { text: 'permission denied in the database', transient: false, code: 'AUTH_FAILED', hint: 'Grant the identity the permission named in the message.' },
  2627: { text: 'a primary key or unique constraint was violated', transient: false, hint: 'The data has duplicate keys; for merge, make key_columns unique in the source.' },
  8152: { text: 'string or binary data would be truncated', transient: false, hint: 'Widen the target column, or use write: replace to recreate it.' },
  8115: { text: 'arithmetic overflow converting to the target column type', transient: false, hint: 'Widen the target column, or use write: replace to recreate it.' },
};

const TRANSIENT_CODES = new Set(['ESOCKET', 'ETIMEOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ECONNCLOSED', 'ECLOSE', 'ENOTOPEN']);

export interface SqlFault {
  number?: number;
  code?: string;
  transient: boolean;
  message: string;
}

/** Looks through mssql's wrappers (originalError, cause) for the SQL number and error code. */
export function classifySqlError(err: unknown): SqlFault {
  let number: number | undefined;
  let code: string | undefined;
  let connectionError = false;
  const seen = new Set<unknown>();
  for (let e: unknown = err; e && typeof e === 'object' && !seen.has(e); ) {
    seen.add(e);
    const o = e as { number?: unknown; code?: unknown; name?: unknown; originalError?: unknown; cause?: unknown; errors?: unknown };
    if (number === undefined && typeof o.number === 'number') number = o.number;
    if (typeof o.code === 'string' && (code === undefined || code === 'EREQUEST' || code === 'ELOGIN')) code = o.code;
    if (o.name === 'ConnectionError' && o.code !== 'ELOGIN') connectionError = true;
    e = o.originalError ?? o.cause;
  }
  const message = err instanceof Error ? err.message : String(err);
  const byNumber = number !== undefined ? SQL_ERROR_MEANINGS[number]?.transient === true : false;
  const byCode = code !== undefined && TRANSIENT_CODES.has(code);
  return { number, code, transient: byNumber || byCode || connectionError, message };
}

/**
 * A HyggeError thrown inside the driver (e.g. by hygge's credential wrapper while tedious logs
 * in) comes back wrapped by tedious (AggregateError) and mssql (originalError): find it, so
 * its own message and retryability win over the generic login failure around it.
 */
export function innerHyggeError(err: unknown): HyggeError | undefined {
  const queue: unknown[] = [err];
  const seen = new Set<unknown>();
  while (queue.length > 0) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    if (e instanceof HyggeError) return e;
    const o = e as { originalError?: unknown; cause?: unknown; errors?: unknown };
    queue.push(o.originalError, o.cause, ...(Array.isArray(o.errors) ? o.errors : []));
  }
  return undefined;
}

export function isTransientSqlError(err: unknown): boolean {
  const inner = innerHyggeError(err);
  if (inner) return inner.retryable;
  return classifySqlError(err).transient;
}

/**
 * A HyggeError for a SQL failure: names the connection, entity and SQL error number with its
 * meaning, and says what to do. `retryable` follows the classification.
 */
export function sqlFailure(err: unknown, doing: string, context: ErrorContext, code: ErrorCode = 'SQL_ERROR'): HyggeError {
  const inner = innerHyggeError(err);
  if (inner) return inner.withContext(context);
  const fault = classifySqlError(err);
  const meaning = fault.number !== undefined ? SQL_ERROR_MEANINGS[fault.number] : undefined;
  const what = meaning ? `SQL error ${fault.number} (${meaning.text})` : fault.number !== undefined ? `SQL error ${fault.number}` : fault.code ?? 'error';
  const hint = meaning?.hint ?? (fault.transient ? WAIT_AND_RERUN : 'Check the message above; run `hygge debug` to test the connection.');
  return new HyggeError(meaning?.code ?? code, `${doing} failed: ${what}: ${fault.message}`, {
    hint,
    context: { ...context, ...(fault.number !== undefined ? { sqlNumber: fault.number } : {}) },
    cause: err,
    retryable: fault.transient,
  });
}
