/**
 * Logins through tedious and mssql: SQL authentication, and Entra ID token authentication
 * exactly as tedious performs it for `token-credential` (FEDAUTHREQUIRED, FEDAUTH feature
 * extension, FEDAUTHINFO, FEDAUTH_TOKEN) and `azure-active-directory-access-token`.
 */
import sql from 'mssql';
import { Connection, type ConnectionConfiguration } from 'tedious';
import { signTestJwt, testTokenCredential } from '../../support/jwt';
import { openSqlTarget, sqlTargetKinds, type SqlTarget } from '../../support/sqlTarget';
import { close, connect, query } from './tedious-helpers';

const OID = '11111111-2222-3333-4444-555555555555';
const APPID = '99999999-8888-7777-6666-555555555555';
const SECRET = 'login-test-secret';

/** Connects and collects the ERROR tokens the server sent (tedious keeps the number there). */
function tryConnect(config: ConnectionConfiguration): Promise<{ error?: Error; messages: { number: number; state: number; class: number; message: string }[]; connection: Connection }> {
  return new Promise((resolve) => {
    const connection = new Connection(config);
    const messages: { number: number; state: number; class: number; message: string }[] = [];
    connection.on('errorMessage', (m) => messages.push(m));
    connection.on('error', () => {});
    connection.connect((error) => resolve({ error, messages, connection }));
  });
}

describe.each(sqlTargetKinds())('SQL authentication on %s', (kind) => {
  let target: SqlTarget;
  beforeAll(async () => {
    target = await openSqlTarget(kind);
  });
  afterAll(() => target.close());

  it('logs in with user and password and lands in the requested database', async () => {
    const c = await connect(target.tediousConfig());
    const rows = await query(c, 'SELECT DB_NAME() AS db, SUSER_SNAME() AS who, @@SPID AS spid');
    expect(rows[0].db).toBe(target.settings.database);
    expect(typeof rows[0].spid).toBe('number');
    await close(c);
  });

  it('refuses a wrong password with 18456', async () => {
    const config = target.tediousConfig();
    (config.authentication as { options: { password: string } }).options.password = 'wrong';
    const r = await tryConnect(config);
    expect(r.error?.message).toMatch(/Login failed for user/);
    expect(r.messages[0]).toMatchObject({ number: 18456, class: 14 });
  });

  it('refuses an unknown database with 4060', async () => {
    const r = await tryConnect(target.tediousConfig({ database: 'no_such_db_xyz', options: { maxRetriesOnTransientErrors: 0 } }));
    expect(r.messages[0]).toMatchObject({ number: 4060 });
  });
});

describe('token authentication (stand-in)', () => {
  let target: SqlTarget;
  beforeAll(async () => {
    target = await openSqlTarget('stand-in', {
      tokenSecret: SECRET,
      users: [
        { name: 'sa', password: 'Hygge-Passw0rd!' },
        { name: 'hygge_app', oid: OID, defaultDatabase: 'hygge' },
        { name: 'hygge_sp', appid: APPID },
      ],
    });
  });
  afterAll(() => target.close());

  const tokenConfig = (credential: unknown, database = 'hygge'): ConnectionConfiguration => ({
    server: target.settings.server,
    authentication: { type: 'token-credential', options: { credential: credential as never } },
    options: { port: target.settings.port, database, encrypt: false },
  });

  it('performs the FEDAUTH exchange and maps oid to a database user', async () => {
    const credential = testTokenCredential({ oid: OID }, SECRET);
    const before = target.standIn!.counters.logins.token;
    const c = await connect(tokenConfig(credential));
    const rows = await query(c, 'SELECT SUSER_SNAME() AS who, DB_NAME() AS db');
    expect(rows[0]).toEqual({ who: 'hygge_app', db: 'hygge' });
    expect(credential.scopes).toEqual(['https://database.windows.net/.default']);
    expect(target.standIn!.counters.logins.token).toBe(before + 1);
    await close(c);
  });

  it('maps appid (service principals) and accepts the audience without trailing slash', async () => {
    const c = await connect(tokenConfig(testTokenCredential({ appid: APPID, aud: 'https://database.windows.net' }, SECRET)));
    expect((await query(c, 'SELECT SUSER_SNAME() AS who'))[0].who).toBe('hygge_sp');
    await close(c);
  });

  it('accepts a token sent inside LOGIN7 (azure-active-directory-access-token)', async () => {
    const c = await connect({
      server: target.settings.server,
      authentication: { type: 'azure-active-directory-access-token', options: { token: signTestJwt({ oid: OID }, SECRET) } },
      options: { port: target.settings.port, database: 'hygge', encrypt: false },
    });
    expect((await query(c, 'SELECT SUSER_SNAME() AS who'))[0].who).toBe('hygge_app');
    await close(c);
  });

  it.each([
    ['a bad signature', { oid: OID }, 'other-secret'],
    ['an expired token', { oid: OID, exp: Math.floor(Date.now() / 1000) - 60 }, SECRET],
    ['a wrong audience', { oid: OID, aud: 'https://storage.azure.com/' }, SECRET],
    ['an unmapped oid', { oid: '00000000-0000-0000-0000-000000000000' }, SECRET],
  ])('refuses %s with 18456 and closes the connection', async (_what, claims, secret) => {
    const failedBefore = target.standIn!.counters.logins.failed;
    const sessionsBefore = target.standIn!.counters.currentSessions;
    const r = await tryConnect(tokenConfig(testTokenCredential(claims, secret)));
    expect(r.error).toBeDefined();
    expect(r.messages[0]).toMatchObject({ number: 18456, class: 14, message: "Login failed for user '<token-identified principal>'." });
    expect(target.standIn!.counters.logins.failed).toBe(failedBefore + 1);
    expect(target.standIn!.counters.currentSessions).toBeLessThanOrEqual(sessionsBefore);
  });

  it('works through mssql with a token credential', async () => {
    const pool = await new sql.ConnectionPool({
      server: target.settings.server,
      port: target.settings.port,
      database: 'hygge',
      authentication: { type: 'token-credential', options: { credential: testTokenCredential({ oid: OID }, SECRET) } },
      options: { encrypt: false },
    } as sql.config).connect();
    const r = await pool.request().query('SELECT SUSER_SNAME() AS who');
    expect(r.recordset[0].who).toBe('hygge_app');
    await pool.close();
  });
});
