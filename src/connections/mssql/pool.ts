/**
 * One pooled set of SQL Server sessions per connection key, kept in the run's RunResources
 * and closed with it. An mssql ConnectionPool (tarn inside) with max = pool_size and min 0:
 * no more than pool_size sessions are ever open, a session that errored or closed fails
 * validation and is replaced, and logins that fail transiently are retried with backoff.
 *
 * hygge works on the raw tedious connections the pool hands out (streaming reads with
 * pause/resume, execBulkLoad), always returning them with `release`.
 */
import { backOff } from 'exponential-backoff';
import sql from 'mssql';
import type { Connection } from 'tedious';
import type { ProjectConfig } from '../../config/project';
import type { MssqlConnectionConfig, RetryPolicy } from '../../config/schema';
import { backoffOptions } from '../../engine/backoffOptions';
import type { RunResources } from '../../engine/runResources';
import { connectionKey, resolveMssqlConnection, type ConnectionRef } from '../../plan/connectionKey';
import { tediousAuthentication } from './authentication';
import { isTransientSqlError, sqlFailure } from './sqlErrors';

export interface SqlSession {
  connection: Connection;
  /** gives the session back; `broken` destroys it instead (after an error mid-statement) */
  release(broken?: boolean): void;
}

/**
 * mssql's connect() logs in once to check the settings and then closes that session; this
 * keeps it as the pool's first session instead, so a run opens no more sessions than it uses
 * (the stand-in counts them). It also remembers the SQL error number of a failed login,
 * which tedious reports only as an event.
 */
const BaseConnectionPool = sql.ConnectionPool as unknown as new (config: sql.config) => {
  connect(): Promise<unknown>;
  close(): Promise<void>;
  acquire(requester: unknown): Promise<Connection>;
  release(connection: Connection): void;
  _poolCreate(): Promise<Connection>;
  _poolDestroy(connection: Connection): Promise<void>;
  on(event: string, listener: (...args: unknown[]) => void): void;
  pool?: { numUsed(): number; numFree(): number; numPendingCreates(): number; destroy(): Promise<unknown> };
};

class KeepFirstSessionPool extends BaseConnectionPool {
  private spare: Connection | undefined;
  private probed = false;
  lastLoginErrorNumber: number | undefined;

  override _poolCreate(): Promise<Connection> {
    const spare = this.spare;
    this.spare = undefined;
    if (spare && !(spare as unknown as { closed: boolean }).closed) return Promise.resolve(spare);
    return super._poolCreate().catch((err: { number?: number }) => {
      if (err && typeof err === 'object' && err.number === undefined && this.lastLoginErrorNumber !== undefined) {
        err.number = this.lastLoginErrorNumber;
      }
      this.lastLoginErrorNumber = undefined;
      throw err;
    });
  }

  override _poolDestroy(connection: Connection): Promise<void> {
    if (!this.probed) {
      this.probed = true;
      this.spare = connection;
      return Promise.resolve();
    }
    return super._poolDestroy(connection);
  }

  async closeAll(): Promise<void> {
    const spare = this.spare;
    this.spare = undefined;
    await this.close();
    if (spare) await super._poolDestroy(spare);
  }
}

/**
 * Session slots, counted apart from tarn so that a caller can take several at once. An entity
 * whose home and store share a connection needs two sessions at the same time; if each took
 * one in turn, pool_size entities could each hold a read session while every store waits for
 * a second: a deadlock. The home takes both at once and parks one for its store.
 */
class Slots {
  private free: number;
  private readonly waiting: { n: number; resolve: () => void }[] = [];
  constructor(readonly capacity: number) {
    this.free = capacity;
  }
  take(n: number): Promise<void> {
    if (this.waiting.length === 0 && this.free >= n) {
      this.free -= n;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push({ n, resolve }));
  }
  tryTake(): boolean {
    if (this.waiting.length > 0 || this.free < 1) return false;
    this.free--;
    return true;
  }
  give(n: number): void {
    this.free += n;
    while (this.waiting.length > 0 && this.free >= this.waiting[0]!.n) {
      const next = this.waiting.shift()!;
      this.free -= next.n;
      next.resolve();
    }
  }
}

export class MssqlPool {
  private pool: KeepFirstSessionPool | undefined;
  private readonly slots: Slots;
  private readonly parked = new Map<string, number>();
  private connecting: Promise<KeepFirstSessionPool> | undefined;
  private closed = false;

  constructor(
    readonly name: string,
    readonly config: MssqlConnectionConfig,
    private readonly retry: RetryPolicy,
  ) {
    this.slots = new Slots(config.pool_size);
  }

  get size(): number {
    return this.config.pool_size;
  }

  /** A session, waiting for a free slot. */
  async acquire(): Promise<SqlSession> {
    await this.slots.take(1);
    return this.sessionOnSlot();
  }

  /** A session only if one is free right now (extra bulk-load workers never wait). */
  async tryAcquire(): Promise<SqlSession | undefined> {
    if (!this.slots.tryTake()) return undefined;
    return this.sessionOnSlot();
  }

  /**
   * A session for a reader whose writer will need this pool too: takes two slots at once and
   * parks the second under `key` for `acquireParked(key)`. With pool_size 1 there is no second.
   */
  async acquireKeepingOneFor(key: string): Promise<SqlSession> {
    if (this.size < 2) return this.acquire();
    await this.slots.take(2);
    this.parked.set(key, (this.parked.get(key) ?? 0) + 1);
    return this.sessionOnSlot();
  }

  /** The session parked for `key`, or a fresh one. */
  async acquireParked(key: string): Promise<SqlSession> {
    const n = this.parked.get(key) ?? 0;
    if (n === 0) return this.acquire();
    if (n === 1) this.parked.delete(key);
    else this.parked.set(key, n - 1);
    return this.sessionOnSlot();
  }

  /** Gives back a parked slot nobody claimed. */
  unpark(key: string): void {
    const n = this.parked.get(key) ?? 0;
    if (n === 0) return;
    this.parked.delete(key);
    this.slots.give(n);
  }

  /** A session from the pool, logging in (with retries on transient faults) when none is idle. */
  private async sessionOnSlot(): Promise<SqlSession> {
    const connection = await backOff(
      async () => {
        const pool = await this.open();
        return pool.acquire(pool);
      },
      backoffOptions(this.retry, (err) => !this.closed && isTransientSqlError(err)),
    ).catch((err: unknown) => {
      this.slots.give(1);
      throw sqlFailure(err, `connecting to ${serverAddress(this.config)}/${this.config.database}`, { connection: this.name }, 'CONNECTION_FAILED');
    });
    let released = false;
    return {
      connection,
      release: (broken = false) => {
        if (released) return;
        released = true;
        if (broken) (connection as unknown as { hasError: boolean }).hasError = true;
        this.pool?.release(connection);
        this.slots.give(1);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool ?? (await this.connecting?.catch(() => undefined));
    this.pool = undefined;
    await pool?.closeAll();
  }

  private open(): Promise<KeepFirstSessionPool> {
    if (this.pool) return Promise.resolve(this.pool);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<KeepFirstSessionPool> {
    const pool = new KeepFirstSessionPool(mssqlConfig(this.name, this.config, (n) => {
      pool.lastLoginErrorNumber = n;
    }));
    // errors of idle sessions surface here; the session is then dropped by validation
    pool.on('error', () => undefined);
    await pool.connect();
    if (this.closed) {
      await pool.closeAll();
      throw new Error('the run closed while connecting');
    }
    this.pool = pool;
    return pool;
  }
}

/** host,port as SQL Server tools write it (the port matters: several instances share a host) */
export function serverAddress(c: Pick<MssqlConnectionConfig, 'server' | 'port'>): string {
  return `${c.server},${c.port}`;
}

export function mssqlConfig(name: string, c: MssqlConnectionConfig, onLoginError?: (number: number) => void): sql.config {
  return {
    server: c.server,
    port: c.port,
    database: c.database,
    connectionTimeout: c.connect_timeout_ms,
    requestTimeout: c.request_timeout_ms,
    pool: {
      max: c.pool_size,
      min: 0,
      // sessions stay for the run (the pool closes with it): reopening would only cost logins
      idleTimeoutMillis: 24 * 3600_000,
      acquireTimeoutMillis: 24 * 3600_000,
    },
    authentication: tediousAuthentication(name, c) as unknown as sql.config['authentication'],
    options: {
      encrypt: c.encrypt as boolean,
      trustServerCertificate: c.trust_server_certificate,
      useUTC: true,
      lowerCaseGuids: true,
      appName: 'hygge',
      // hygge retries logins itself, with the project's policy and error messages
      maxRetriesOnTransientErrors: 0,
    } as sql.config['options'],
    beforeConnect: ((connection: Connection) => {
      connection.on('errorMessage', (token: { number: number }) => onLoginError?.(token.number));
    }) as unknown as sql.config['beforeConnect'],
  };
}

/** The run's pool for a home's or store's connection: one per connection key per RunResources. */
export function poolFor(resources: RunResources, project: ProjectConfig, ref: ConnectionRef): MssqlPool {
  const key = connectionKey(ref);
  return resources.shared(
    `mssql:${key}`,
    () => new MssqlPool(typeof ref === 'string' ? ref : key, resolveMssqlConnection(project, ref), project.options.retry),
    (pool) => pool.close(),
  );
}
