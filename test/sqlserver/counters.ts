/** What the stand-in has done, for tests to assert on. `reset()` zeroes everything but live sessions. */
export class Counters {
  /** TCP (or TLS) connections accepted. */
  connectionsOpened = 0;
  /** Logged-in sessions right now, and the most there were at once. */
  currentSessions = 0;
  peakSessions = 0;
  /** Executed statements by kind ('select', 'insert', 'merge', 'insertBulk', 'rpc', 'tm' ...). */
  statements: Record<string, number> = {};
  /** Rows encoded into result sets (rows handed to the socket writer). */
  rowsStreamed = 0;
  /** Rows committed by bulk loads. */
  rowsBulkLoaded = 0;
  logins = { sql: 0, token: 0, failed: 0 };
  /** Bytes of response packets written to sockets. */
  bytesSent = 0;

  countStatement(kind: string): void {
    this.statements[kind] = (this.statements[kind] ?? 0) + 1;
  }

  /** A login succeeded (connections are counted when the socket opens). */
  sessionOpened(): void {
    this.currentSessions++;
    if (this.currentSessions > this.peakSessions) this.peakSessions = this.currentSessions;
  }

  sessionClosed(): void {
    this.currentSessions--;
  }

  reset(): void {
    this.connectionsOpened = 0;
    this.peakSessions = this.currentSessions;
    this.statements = {};
    this.rowsStreamed = 0;
    this.rowsBulkLoaded = 0;
    this.logins = { sql: 0, token: 0, failed: 0 };
    this.bytesSent = 0;
  }
}
