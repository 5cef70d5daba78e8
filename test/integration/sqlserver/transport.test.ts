/**
 * Transport: TDS 8.0 strict encryption (TLS before PRELOGIN, ALPN tds/8.0) with a trusted
 * test CA, backpressure towards a paused client, and cancellation (ATTENTION).
 */
import sql from 'mssql';
import { Connection, Request } from 'tedious';
import { testTokenCredential } from '../../support/jwt';
import { openSqlTarget, type SqlTarget } from '../../support/sqlTarget';
import { close, connect, failure, query } from './tedious-helpers';

describe('TDS 8.0 strict encryption (stand-in)', () => {
  let target: SqlTarget;
  beforeAll(async () => {
    target = await openSqlTarget('stand-in', {
      encryption: 'strict',
      tokenSecret: 'tls-secret',
      users: [{ name: 'sa', password: 'Hygge-Passw0rd!' }, { name: 'tls_app', oid: 'abc' }],
    });
  });
  afterAll(() => target.close());

  it('serves tedious and mssql over TLS when the client trusts the CA', async () => {
    expect(target.standIn!.ca).toMatch(/BEGIN CERTIFICATE/);
    const c = await connect(target.tediousConfig());
    expect((await query(c, 'SELECT 42 AS answer'))[0].answer).toBe(42);
    await close(c);
    const pool = await new sql.ConnectionPool(target.mssqlConfig({ options: { encrypt: 'strict' as unknown as boolean } })).connect();
    expect((await pool.request().input('x', sql.NVarChar, 'é😀').query('SELECT @x AS x')).recordset[0].x).toBe('é😀');
    await pool.close();
  });

  it('carries a token login (FEDAUTH) over TLS', async () => {
    const c = await connect({
      server: 'localhost',
      authentication: { type: 'token-credential', options: { credential: testTokenCredential({ oid: 'abc' }, 'tls-secret') as never } },
      options: { port: target.settings.port, database: 'hygge', encrypt: 'strict', cryptoCredentialsDetails: { ca: target.standIn!.ca } },
    });
    expect((await query(c, 'SELECT SUSER_SNAME() AS who'))[0].who).toBe('tls_app');
    await close(c);
  });

  it('fails when the client does not trust the certificate', async () => {
    const config = target.tediousConfig({ options: { cryptoCredentialsDetails: {} } });
    const e = await failure(connect(config));
    expect(e.message).toMatch(/certificate/i);
  });
});

describe('TLS inside TDS 7.4 (client encrypt: true) (stand-in)', () => {
  let target: SqlTarget;
  beforeAll(async () => {
    target = await openSqlTarget('stand-in');
  });
  afterAll(() => target.close());

  it('negotiates TLS in PRELOGIN packets when the client asks for encryption', async () => {
    const c = await connect(target.tediousConfig({ options: { encrypt: true, trustServerCertificate: false, serverName: 'localhost', cryptoCredentialsDetails: { ca: target.standIn!.ca } } }));
    const rows = await query(c, "SELECT N'encrypted 😀' AS x");
    expect(rows[0].x).toBe('encrypted 😀');
    await close(c);
  });

  it('works for mssql with its default encrypt: true', async () => {
    const pool = await new sql.ConnectionPool(target.mssqlConfig({ options: { encrypt: true, trustServerCertificate: true } })).connect();
    const big = 'x'.repeat(200_000);
    const r = await pool.request().input('big', sql.NVarChar(sql.MAX), big).query('SELECT LEN(@big) AS n');
    expect(r.recordset[0].n).toBe(200_000);
    await pool.close();
  });

  it('still serves unencrypted clients', async () => {
    const c = await connect(target.tediousConfig());
    expect((await query(c, 'SELECT 1 AS one'))[0].one).toBe(1);
    await close(c);
  });
});

describe('backpressure and cancellation (stand-in)', () => {
  let target: SqlTarget;
  const total = 200_000;
  beforeAll(async () => {
    target = await openSqlTarget('stand-in');
    const { catalog } = target.standIn!;
    catalog.createTable({ name: 'wide', columns: [{ name: 'id', type: 'int', primaryKey: true }, { name: 'pad', type: 'nvarchar(200)' }] });
    const pad = 'p'.repeat(200);
    catalog.insertRows('wide', Array.from({ length: total }, (_, i) => [i, pad]));
  });
  afterAll(() => target.close());

  const settle = () => new Promise((r) => setTimeout(r, 250));

  it('stops producing rows while tedious has the request paused', async () => {
    const c = await connect(target.tediousConfig());
    const { counters } = target.standIn!;
    counters.reset();
    let received = 0;
    let resolveFirst!: () => void;
    const first = new Promise<void>((r) => (resolveFirst = r));
    const done = new Promise<void>((resolve, reject) => {
      const req = new Request('SELECT id, pad FROM wide', (err) => (err ? reject(err) : resolve()));
      req.on('row', () => {
        received++;
        if (received === 1) {
          req.pause();
          resolveFirst();
          void settle().then(async () => {
            const whilePaused = counters.rowsStreamed;
            await settle();
            // bounded: far from the whole result, and not growing while paused
            expect(whilePaused).toBeLessThan(total / 4);
            expect(counters.rowsStreamed).toBe(whilePaused);
            req.resume();
          }).catch(reject);
        }
      });
      c.execSql(req);
    });
    await first;
    await done;
    expect(received).toBe(total);
    expect(counters.rowsStreamed).toBe(total);
    await close(c);
  });

  it('cancels a streaming result (ATTENTION) and keeps the connection usable', async () => {
    const c: Connection = await connect(target.tediousConfig());
    const e = await failure(new Promise<void>((resolve, reject) => {
      let n = 0;
      const req = new Request('SELECT id, pad FROM wide', (err) => (err ? reject(err) : resolve()));
      req.on('row', () => {
        if (++n === 100) c.cancel();
      });
      c.execSql(req);
    }));
    expect(e.message).toMatch(/Canceled/i);
    expect((await query(c, 'SELECT COUNT(*) AS n FROM wide'))[0].n).toBe(total);
    await close(c);
  });
});
