/**
 * Where SQL tests run: always against the TDS stand-in (test/sqlserver, one per test file),
 * and also against a real SQL Server / Azure SQL when HYGGE_TEST_MSSQL holds an ADO-style
 * connection string, e.g.
 *   Server=localhost,1433;Database=hygge;User Id=sa;Password=...;Encrypt=false;TrustServerCertificate=true
 * Tests that need fault injection or counters use only the stand-in (`target.standIn`).
 *
 *   describe.each(sqlTargetKinds())('%s', (kind) => {
 *     let target: SqlTarget;
 *     beforeAll(async () => { target = await openSqlTarget(kind); });
 *     afterAll(() => target.close());
 *     ...
 *   });
 */
import type { config as MssqlConfig } from 'mssql';
import type { ConnectionConfiguration } from 'tedious';
import { startSqlServer, type SqlServerOptions, type SqlServerStandIn } from '../sqlserver';

export type SqlTargetKind = 'stand-in' | 'sql-server';

export interface ConnectionSettings {
  server: string;
  port: number;
  database: string;
  user: string;
  password: string;
  encrypt: boolean | 'strict';
  trustServerCertificate: boolean;
}

export interface SqlTarget {
  kind: SqlTargetKind;
  settings: ConnectionSettings;
  /** The stand-in, when this target is the stand-in (faults, counters, catalog). */
  standIn?: SqlServerStandIn;
  /** An mssql ConnectionPool config (overrides are merged over the defaults). */
  mssqlConfig(overrides?: Partial<MssqlConfig>): MssqlConfig;
  /** A tedious Connection config. */
  tediousConfig(overrides?: { database?: string; options?: Record<string, unknown> }): ConnectionConfiguration;
  /** A table name unique to this run, so runs against a shared real server do not clash. */
  uniqueName(prefix: string): string;
  close(): Promise<void>;
}

export const MSSQL_ENV = 'HYGGE_TEST_MSSQL';

/** The targets to run against: the stand-in, plus a real server when HYGGE_TEST_MSSQL is set. */
export function sqlTargetKinds(): SqlTargetKind[] {
  return process.env[MSSQL_ENV] ? ['stand-in', 'sql-server'] : ['stand-in'];
}

/** Parses `Server=host,port;Database=..;User Id=..;Password=..;Encrypt=..;TrustServerCertificate=..`. */
export function parseAdoConnectionString(text: string): ConnectionSettings {
  const values = new Map<string, string>();
  // Values may be quoted with ' or " or {...} when they contain ';'.
  const re = /\s*([^=;]+?)\s*=\s*("([^"]*)"|'([^']*)'|\{([^}]*)\}|[^;]*)\s*(;|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    values.set(m[1].toLowerCase().replace(/\s+/g, ' '), (m[3] ?? m[4] ?? m[5] ?? m[2]).trim());
    if (m[0] === '') break;
  }
  const get = (...keys: string[]) => keys.map((k) => values.get(k)).find((v) => v !== undefined);
  let server = get('server', 'data source', 'address', 'addr', 'network address') ?? 'localhost';
  server = server.replace(/^tcp:/i, '');
  let port = 1433;
  const comma = server.lastIndexOf(',');
  if (comma >= 0) {
    port = Number(server.slice(comma + 1));
    server = server.slice(0, comma);
  }
  const bool = (v: string | undefined, dflt: boolean) => (v === undefined ? dflt : /^(true|yes|1|mandatory)$/i.test(v));
  const encryptText = get('encrypt');
  return {
    server,
    port,
    database: get('database', 'initial catalog') ?? 'master',
    user: get('user id', 'uid', 'user') ?? 'sa',
    password: get('password', 'pwd') ?? '',
    encrypt: encryptText !== undefined && /^strict$/i.test(encryptText) ? 'strict' : bool(encryptText, true),
    trustServerCertificate: bool(get('trustservercertificate', 'trust server certificate'), false),
  };
}

function makeTarget(kind: SqlTargetKind, settings: ConnectionSettings, close: () => Promise<void>, standIn?: SqlServerStandIn): SqlTarget {
  const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  let counter = 0;
  // The stand-in's certificate only matters for encrypted connections.
  const ca = standIn && settings.encrypt !== false ? standIn.ca : undefined;
  return {
    kind, settings, standIn, close,
    mssqlConfig: (overrides = {}) => ({
      server: settings.server,
      port: settings.port,
      database: settings.database,
      user: settings.user,
      password: settings.password,
      pool: { max: 4, min: 0, idleTimeoutMillis: 1000 },
      ...overrides,
      options: {
        encrypt: settings.encrypt as boolean,
        trustServerCertificate: settings.trustServerCertificate,
        ...(ca ? { cryptoCredentialsDetails: { ca } } : {}),
        ...(overrides.options ?? {}),
      },
    }),
    tediousConfig: (overrides = {}) => ({
      server: settings.server,
      authentication: { type: 'default', options: { userName: settings.user, password: settings.password } },
      options: {
        port: settings.port,
        database: overrides.database ?? settings.database,
        encrypt: settings.encrypt,
        trustServerCertificate: settings.trustServerCertificate,
        ...(ca ? { cryptoCredentialsDetails: { ca } } : {}),
        ...(overrides.options ?? {}),
      } as ConnectionConfiguration['options'],
    }),
    uniqueName: (prefix) => (kind === 'stand-in' ? `${prefix}_${++counter}` : `${prefix}_${run}_${++counter}`),
  };
}

/** Starts the stand-in (or connects to the real server) for one test file. */
export async function openSqlTarget(kind: SqlTargetKind, standInOptions: SqlServerOptions = {}): Promise<SqlTarget> {
  if (kind === 'sql-server') {
    const text = process.env[MSSQL_ENV];
    if (!text) throw new Error(`${MSSQL_ENV} is not set`);
    return makeTarget(kind, parseAdoConnectionString(text), async () => {});
  }
  const standIn = await startSqlServer(standInOptions);
  const settings: ConnectionSettings = {
    server: standInOptions.encryption === 'strict' ? 'localhost' : standIn.host,
    port: standIn.port,
    database: 'hygge',
    user: 'sa',
    password: 'Hygge-Passw0rd!',
    encrypt: standInOptions.encryption === 'strict' ? 'strict' : false,
    trustServerCertificate: false,
  };
  return makeTarget(kind, settings, () => standIn.close(), standIn);
}
