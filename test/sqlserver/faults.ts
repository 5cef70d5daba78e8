import { SqlError } from './errors';

/**
 * Errors as Azure SQL sends them (number, state, class, text), for injected faults.
 * Class >= 20 errors end the connection, as they do on the real service.
 */
export const AZURE_ERRORS: Record<number, { state: number; severity: number; message: (db: string, server: string) => string }> = {
  4060: { state: 1, severity: 11, message: (db) => `Cannot open database "${db}" requested by the login. The login failed.` },
  10928: { state: 1, severity: 20, message: () => "Resource ID : 1. The request limit for the database is 30 and has been reached. See 'https://docs.microsoft.com/azure/azure-sql/database/resource-limits-logical-server' for assistance." },
  10929: { state: 1, severity: 20, message: () => "Resource ID : 1. The request limit for the database is 30 and has been reached. However, the server is currently too busy to support requests greater than 30 for this database. See 'https://docs.microsoft.com/azure/azure-sql/database/resource-limits-logical-server' for assistance. Otherwise, please try again later." },
  40197: { state: 1, severity: 20, message: () => 'The service has encountered an error processing your request. Please try again. Error code 4815.' },
  40501: { state: 1, severity: 20, message: () => 'The service is currently busy. Retry the request after 10 seconds. Incident ID: 4D6A6C2B-0000-0000-0000-000000000000. Code: 3221356557.' },
  40613: { state: 1, severity: 17, message: (db, server) => `Database '${db}' on server '${server}' is not currently available.  Please retry the connection later.  If the problem persists, contact customer support, and provide them the session tracing ID of '{4D6A6C2B-0000-0000-0000-000000000000}'.` },
  40544: { state: 2, severity: 20, message: (db) => `The database '${db}' has reached its size quota. Partition or delete data, drop indexes, or consult the documentation for possible resolutions.` },
  40549: { state: 3, severity: 16, message: () => 'Session is terminated because you have a long-running transaction. Try shortening your transaction.' },
  49918: { state: 1, severity: 16, message: () => 'Cannot process request. Not enough resources to process request. The service is currently busy.Please retry the request later.' },
  49919: { state: 1, severity: 16, message: () => 'Cannot process create or update request. Too many create or update operations in progress for subscription "00000000-0000-0000-0000-000000000000".' },
  49920: { state: 1, severity: 16, message: () => 'Cannot process request. Too many operations in progress for subscription "00000000-0000-0000-0000-000000000000".' },
  1205: { state: 51, severity: 13, message: () => 'Transaction (Process ID 52) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.' },
  18456: { state: 1, severity: 14, message: () => "Login failed for user '<token-identified principal>'." },
};

export interface InjectedError {
  number: number;
  state?: number;
  severity?: number;
  message?: string;
}

export function makeInjectedError(e: InjectedError, database: string, server: string): SqlError {
  const known = AZURE_ERRORS[e.number];
  const severity = e.severity ?? known?.severity ?? 16;
  return new SqlError(e.number, e.message ?? known?.message(database, server) ?? `Injected error ${e.number}.`, e.state ?? known?.state ?? 1, severity, severity >= 20 ? 'connection' : 'batch');
}

interface StatementFault {
  error: InjectedError;
  remaining: number;
  match?: RegExp;
}

/**
 * Fault injection. Each fault applies to what happens next on any session of the server:
 *  - failNextStatements({ number, count?, match? }): the next `count` (default 1) requests
 *    (SQL batches / RPCs whose text matches `match`, if given) fail with that error;
 *  - failNextLogin({ number }): the next login gets the error and the connection is closed;
 *  - dropConnectionAfterRows(n, 'result' | 'bulk'): the next result set (or bulk load) closes
 *    the socket after n rows, mid-stream;
 *  - setLatency(ms): every request waits that long before executing;
 *  - setMaxSessions(n): logins beyond n concurrent sessions are refused with 10928.
 */
export class Faults {
  private statementFaults: StatementFault[] = [];
  private loginFaults: InjectedError[] = [];
  private dropAfter: { result?: number; bulk?: number } = {};
  latencyMs = 0;
  maxSessions: number | undefined;

  constructor(private readonly defaultMaxSessions?: number) {
    this.maxSessions = defaultMaxSessions;
  }

  failNextStatements(error: InjectedError & { count?: number; match?: RegExp }): void {
    this.statementFaults.push({ error, remaining: error.count ?? 1, match: error.match });
  }

  failNextStatement(error: InjectedError & { match?: RegExp }): void {
    this.failNextStatements({ ...error, count: 1 });
  }

  failNextLogin(error: InjectedError): void {
    this.loginFaults.push(error);
  }

  dropConnectionAfterRows(rows: number, of: 'result' | 'bulk' = 'result'): void {
    this.dropAfter[of] = rows;
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  setMaxSessions(n: number | undefined): void {
    this.maxSessions = n;
  }

  reset(): void {
    this.statementFaults = [];
    this.loginFaults = [];
    this.dropAfter = {};
    this.latencyMs = 0;
    this.maxSessions = this.defaultMaxSessions;
  }

  /** @internal the error for a request with this text, if a fault applies (consumes it). */
  takeStatementFault(text: string): InjectedError | undefined {
    const f = this.statementFaults.find((x) => !x.match || x.match.test(text));
    if (!f) return undefined;
    if (--f.remaining <= 0) this.statementFaults.splice(this.statementFaults.indexOf(f), 1);
    return f.error;
  }

  /** @internal */
  takeLoginFault(): InjectedError | undefined {
    return this.loginFaults.shift();
  }

  /** @internal row limit for the next result set / bulk load (consumes it). */
  takeDropAfter(of: 'result' | 'bulk'): number | undefined {
    const n = this.dropAfter[of];
    delete this.dropAfter[of];
    return n;
  }
}
