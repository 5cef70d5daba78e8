/**
 * Managed identity end to end: the real ManagedIdentityCredential (App Service source) fetches
 * tokens from a local IDENTITY_ENDPOINT (test/support/identityEndpoint.ts); the stand-in
 * verifies them (same HS256 secret, audience, expiry, oid mapped to a database user).
 * IDENTITY_ENDPOINT/IDENTITY_HEADER are set before any credential is built and restored after.
 */
import { poolFor } from '../../../src/connections/mssql/pool';
import { runSql } from '../../../src/connections/mssql/execute';
import { RunResources } from '../../../src/engine/runResources';
import { DEFAULT_USERS, startSqlServer, type SqlServerStandIn } from '../../sqlserver';
import { startIdentityEndpoint, type IdentityEndpoint } from '../../support/identityEndpoint';
import { settledSessions } from './settle';
import { expectSucceeded, sqlProject, type SqlProject } from './sqlProject';
import * as A from 'apache-arrow';

const SECRET = 'hygge-mi-test-secret';
const SYSTEM_CLIENT_ID = 'system-assigned-0000-4000-8000-00000000abcd';
// msal caches managed identity tokens per identity across credentials: each scenario that needs
// fresh tokens uses its own user-assigned identity (client_id), each mapped to a database user
const WRONG_AUDIENCE_ID = 'user-assigned-wrong-audience';
const RAW_DRIVER_ID = 'user-assigned-raw-driver';
const SHORT_LIVED_ID = 'user-assigned-short-lived';

describe('managed identity end to end (stand-in)', () => {
  let server: SqlServerStandIn;
  let idp: IdentityEndpoint;
  let restoreEnv: () => void;
  let project: SqlProject;

  beforeAll(async () => {
    idp = await startIdentityEndpoint({ secret: SECRET, systemClientId: SYSTEM_CLIENT_ID });
    server = await startSqlServer({
      tokenSecret: SECRET,
      users: [...DEFAULT_USERS, ...[SYSTEM_CLIENT_ID, WRONG_AUDIENCE_ID, RAW_DRIVER_ID, SHORT_LIVED_ID].map((id) => ({ name: id, oid: `oid-${id}`, defaultDatabase: 'hygge' }))],
    });
    restoreEnv = idp.applyToEnv();
    project = sqlProject({
      connections: [
        ...miConnection('db', server),
        ...miConnection('wrong_audience', server, WRONG_AUDIENCE_ID),
        ...miConnection('short_lived', server, SHORT_LIVED_ID),
      ],
    });
    project.flow('load', ['home:', '  type: parquet', '  path: data/{entity}.parquet', 'store:', '  type: mssql', '  connection: db', '  table: dbo.{entity}',
      'entities:', '  - people', ''].join('\n'));
    for (const [flow, connection] of [['extract', 'db'], ['extract_wrong_audience', 'wrong_audience']]) {
      project.flow(flow!, ['home:', '  type: mssql', `  connection: ${connection}`, '  table: dbo.{entity}', 'store:', '  type: parquet', `  path: out_${flow}`,
        'entities:', '  - people', ''].join('\n'));
    }
    await project.writeParquet('data/people.parquet', [A.tableFromArrays({ id: Int32Array.from([1, 2, 3]), name: ['a', 'b', 'c'] }).batches[0]!]);
  });
  afterAll(async () => {
    restoreEnv?.();
    project?.remove();
    await server?.close();
    await idp?.stop();
  });
  beforeEach(() => idp.configure({ lifetimeSeconds: 3600, wrongAudience: undefined }));

  it('logs in with tokens from the identity endpoint and moves data both ways', async () => {
    server.counters.reset();
    expectSucceeded(await project.run({ flows: ['load'] }));
    expectSucceeded(await project.run({ flows: ['extract'] }));
    expect((await project.readParquet('out_extract/people')).rows).toHaveLength(3);
    expect(idp.tokensIssued).toBeGreaterThan(0);
    expect(idp.requests.every((r) => r.resource === 'https://database.windows.net')).toBe(true);
    expect(server.counters.logins.token).toBeGreaterThan(0);
    expect(server.counters.logins.sql).toBe(0);
    expect(await settledSessions(server.counters)).toBe(0);
  });

  it('refuses a token for the wrong audience with a clear error', async () => {
    idp.configure({ wrongAudience: 'https://storage.azure.com/' });
    const [summary] = await project.run({ flows: ['extract_wrong_audience'] });
    expect(summary!.status).toBe('failed');
    expect(summary!.error).toMatchObject({
      code: 'CONNECTION_FAILED',
      message: expect.stringContaining('audience "https://storage.azure.com/", not Azure SQL'),
      context: expect.objectContaining({ connection: 'wrong_audience', entity: 'people' }),
    });
  });

  it('the stand-in itself refuses a wrong-audience token (what hygge checks before sending)', async () => {
    // without hygge's check, the server's answer: login failed (18456)
    idp.configure({ wrongAudience: 'https://storage.azure.com/' });
    const { ManagedIdentityCredential } = await import('@azure/identity');
    const { Connection } = await import('tedious');
    const failed = server.counters.logins.failed;
    const error = await new Promise<Error | undefined>((resolve) => {
      const c = new Connection({
        server: server.host,
        authentication: { type: 'token-credential', options: { credential: new ManagedIdentityCredential({ clientId: RAW_DRIVER_ID }) } },
        options: { port: server.port, database: 'hygge', encrypt: false },
      });
      c.on('connect', (err) => {
        c.close();
        resolve(err);
      });
      c.connect();
    });
    expect(error?.message).toMatch(/Login failed/);
    expect(server.counters.logins.failed).toBe(failed + 1);
  });

  it('a token that expires mid-run is refreshed for the next session', async () => {
    idp.configure({ lifetimeSeconds: 2 });
    const config = await project.load();
    const resources = new RunResources(config);
    try {
      const pool = poolFor(resources, config, 'short_lived');
      const first = await pool.acquire();
      await runSql(first.connection, 'SELECT 1 AS one');
      const issued = idp.tokensIssued;
      // the first session's token is now expired; the session itself stays usable
      await new Promise((r) => setTimeout(r, 2500));
      const second = await pool.acquire();
      expect((await runSql(second.connection, 'SELECT 2 AS two')).rows).toEqual([[2]]);
      expect((await runSql(first.connection, 'SELECT 1 AS one')).rows).toEqual([[1]]);
      expect(idp.tokensIssued).toBeGreaterThan(issued);
      first.release();
      second.release();
    } finally {
      await resources.close();
    }
  });
});

function miConnection(name: string, server: SqlServerStandIn, clientId?: string): string[] {
  return [`  ${name}:`, '    type: mssql', `    server: ${server.host}`, `    port: ${server.port}`, '    database: hygge',
    '    auth: managed_identity', ...(clientId ? [`    client_id: ${clientId}`] : []), '    encrypt: false', '    pool_size: 2'];
}
