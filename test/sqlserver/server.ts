import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { UserConfig } from './auth';
import { Catalog } from './catalog/catalog';
import { makeSelfSignedCert } from '../support/tls';
import { Counters } from './counters';
import { Faults } from './faults';
import { Session, type ServerContext } from './session';
import { DEFAULT_TEST_TOKEN_SECRET } from '../support/jwt';

export interface SqlServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** 'off': plain TDS (client `encrypt: false`); 'strict': TDS 8.0, TLS before PRELOGIN. */
  encryption?: 'off' | 'strict';
  users?: UserConfig[];
  /** Databases besides master (default ['hygge']). */
  databases?: string[];
  /** HS256 secret token logins are verified with (default DEFAULT_TEST_TOKEN_SECRET). */
  tokenSecret?: string;
  /** Concurrent logged-in sessions allowed; more are refused with 10928. */
  maxSessions?: number;
}

export const DEFAULT_USERS: UserConfig[] = [{ name: 'sa', password: 'Hygge-Passw0rd!', defaultDatabase: 'hygge' }];

export interface SqlServerStandIn {
  readonly host: string;
  readonly port: number;
  /** PEM of the certificate clients must trust (strict mode, or `encrypt: true` clients). */
  readonly ca?: string;
  readonly faults: Faults;
  readonly counters: Counters;
  readonly catalog: Catalog;
  /** Resets faults and counters (not the catalog). */
  reset(): void;
  /** Destroys all connections and stops listening. */
  close(): Promise<void>;
}

export async function startSqlServer(opts: SqlServerOptions = {}): Promise<SqlServerStandIn> {
  const host = opts.host ?? '127.0.0.1';
  const databases = opts.databases ?? ['hygge'];
  const catalog = new Catalog(['master', 'tempdb', ...databases.filter((d) => !['master', 'tempdb'].includes(d.toLowerCase()))]);
  const counters = new Counters();
  const faults = new Faults(opts.maxSessions);
  const strict = opts.encryption === 'strict';
  const context: ServerContext = {
    catalog, counters, faults,
    users: opts.users ?? DEFAULT_USERS,
    tokenSecret: opts.tokenSecret ?? DEFAULT_TEST_TOKEN_SECRET,
    serverName: 'hygge-sqlserver',
    strict,
    loggedIn: new Set(),
    certificate: strictCertificate,
  };
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
  };
  let server: net.Server;
  let ca: string | undefined;
  if (strict) {
    const { cert, key } = strictCertificate();
    ca = cert;
    server = tls.createServer({ cert, key, ALPNProtocols: ['tds/8.0'], minVersion: 'TLSv1.2' }, (socket) => {
      new Session(socket, context);
    });
    server.on('connection', track);
    // Clients that do not trust the certificate abort the handshake; nothing to clean up.
    server.on('tlsClientError', () => {});
  } else {
    server = net.createServer((socket) => {
      track(socket);
      new Session(socket, context);
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host, port, faults, counters, catalog,
    // Strict mode always has a certificate; otherwise it is made when first asked for (or when a
    // client requests encryption inside TDS).
    get ca() {
      return ca ?? strictCertificate().cert;
    },
    reset() {
      faults.reset();
      counters.reset();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let certificate: { cert: string; key: string } | undefined;

/** One self-signed certificate per process (openssl CLI; node cannot issue X.509 itself). */
function strictCertificate(): { cert: string; key: string } {
  if (!certificate) {
    const made = makeSelfSignedCert(['localhost', '127.0.0.1']);
    certificate = { cert: made.cert, key: made.key };
    made.remove();
  }
  return certificate;
}
