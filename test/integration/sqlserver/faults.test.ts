/** Fault injection and counters (stand-in only): what hygge's retry and resume logic is tested with. */
import sql from 'mssql';
import { Connection, type ConnectionConfiguration } from 'tedious';
import { openSqlTarget, type SqlTarget } from '../../support/sqlTarget';
import { bulkLoad, close, connect, failure, query, TYPES } from './tedious-helpers';

function tryConnect(config: ConnectionConfiguration): Promise<{ error?: Error; numbers: number[] }> {
  return new Promise((resolve) => {
    const c = new Connection(config);
    const numbers: number[] = [];
    c.on('errorMessage', (m) => numbers.push(m.number));
    c.on('error', () => {});
    c.connect((error) => {
      if (!error) c.close();
      resolve({ error, numbers });
    });
  });
}

describe('faults and counters (stand-in)', () => {
  let target: SqlTarget;
  let pool: sql.ConnectionPool;

  beforeAll(async () => {
    target = await openSqlTarget('stand-in');
    pool = await new sql.ConnectionPool(target.mssqlConfig()).connect();
    target.standIn!.catalog.createTable({ name: 'numbers', columns: [{ name: 'n', type: 'int', primaryKey: true }, { name: 'label', type: 'nvarchar(20)' }] });
    target.standIn!.catalog.insertRows('numbers', Array.from({ length: 100 }, (_, i) => [i, `n${i}`]));
  });
  afterEach(() => target.standIn!.faults.reset());
  afterAll(async () => {
    await pool.close();
    await target.close();
  });

  it('fails the next statement with an Azure error, then recovers', async () => {
    // (match: the mssql pool validates connections with its own "SELECT 1;", which would take the fault)
    target.standIn!.faults.failNextStatements({ number: 40613, match: /AS one/ });
    const e = await failure(pool.request().query('SELECT 1 AS one'));
    expect(e).toMatchObject({ number: 40613, class: 17, state: 1 });
    expect(e.message).toMatch(/^Database 'hygge' on server '.*' is not currently available/);
    expect((await pool.request().query('SELECT 1 AS one')).recordset[0].one).toBe(1);
  });

  it('fails only statements matching a regex, count times', async () => {
    target.standIn!.faults.failNextStatements({ number: 49918, count: 2, match: /FROM numbers/i });
    expect((await pool.request().query('SELECT 2 AS two')).recordset[0].two).toBe(2);
    expect((await failure(pool.request().query('SELECT COUNT(*) AS c FROM numbers'))).number).toBe(49918);
    expect((await failure(pool.request().query('SELECT MAX(n) AS m FROM numbers'))).number).toBe(49918);
    expect((await pool.request().query('SELECT MAX(n) AS m FROM numbers')).recordset[0].m).toBe(99);
  });

  it('a class 20 error (40501) also closes the connection', async () => {
    const c = await connect(target.tediousConfig());
    target.standIn!.faults.failNextStatements({ number: 40501 });
    const ended = new Promise<void>((resolve) => c.on('end', () => resolve()));
    const e = await failure(query(c, 'SELECT 1 AS x'));
    expect(e.message).toMatch(/The service is currently busy/);
    await ended;
  });

  it('fails the next login', async () => {
    target.standIn!.faults.failNextLogin({ number: 40613 });
    const r = await tryConnect(target.tediousConfig({ options: { maxRetriesOnTransientErrors: 0 } }));
    expect(r.error).toBeDefined();
    expect(r.numbers).toEqual([40613]);
    // tedious retries transient login errors on its own
    target.standIn!.faults.failNextLogin({ number: 4060 });
    const retried = await tryConnect(target.tediousConfig({ options: { connectionRetryInterval: 10 } }));
    expect(retried.error).toBeUndefined();
    expect(retried.numbers).toEqual([4060]);
  });

  it('drops the connection after N rows of a result', async () => {
    const c = await connect(target.tediousConfig());
    const before = target.standIn!.counters.rowsStreamed;
    target.standIn!.faults.dropConnectionAfterRows(5);
    const e = await failure(query(c, 'SELECT n FROM numbers ORDER BY n'));
    expect(e.message).toMatch(/Connection lost|closed|ECONNRESET|socket hang up/i);
    expect(target.standIn!.counters.rowsStreamed - before).toBe(5);
  });

  it('drops the connection after N rows of a bulk load, leaving the table unchanged', async () => {
    const t = target.uniqueName('bulk_drop');
    const c = await connect(target.tediousConfig({ options: { packetSize: 4096 } }));
    await query(c, `CREATE TABLE ${t} (id int NOT NULL PRIMARY KEY, pad nvarchar(200) NULL)`);
    target.standIn!.faults.dropConnectionAfterRows(1000, 'bulk');
    const rows = Array.from({ length: 20_000 }, (_, i) => [i, 'x'.repeat(100)]);
    await failure(bulkLoad(c, t, [{ name: 'id', type: TYPES.Int, options: { nullable: false } }, { name: 'pad', type: TYPES.NVarChar, options: { length: 200 } }], rows));
    expect((await pool.request().query(`SELECT COUNT(*) AS n FROM ${t}`)).recordset[0].n).toBe(0);
  });

  it('adds latency per statement without changing results', async () => {
    target.standIn!.faults.setLatency(30);
    expect((await pool.request().query('SELECT COUNT(*) AS c FROM numbers')).recordset[0].c).toBe(100);
  });

  it('caps concurrent sessions with 10928', async () => {
    const { counters, faults } = target.standIn!;
    faults.setMaxSessions(counters.currentSessions + 1);
    const extra = await connect(target.tediousConfig());
    const refused = await tryConnect(target.tediousConfig({ options: { maxRetriesOnTransientErrors: 0 } }));
    expect(refused.numbers).toEqual([10928]);
    await close(extra);
  });

  it('counts connections, sessions, statements, rows and logins; reset() zeroes them', async () => {
    // A server of its own, so no pool activity of the other tests shows up in the numbers.
    const own = await openSqlTarget('stand-in');
    try {
      const { counters } = own.standIn!;
      own.standIn!.catalog.createTable({ name: 'numbers', columns: [{ name: 'n', type: 'int', primaryKey: true }] });
      own.standIn!.catalog.insertRows('numbers', Array.from({ length: 50 }, (_, i) => [i]));
      const c = await connect(own.tediousConfig());
      const d = await connect(own.tediousConfig());
      await query(c, 'SELECT n FROM numbers WHERE n < 10');
      await query(c, 'CREATE TABLE counted (id int NOT NULL)');
      await bulkLoad(c, 'counted', [{ name: 'id', type: TYPES.Int, options: { nullable: false } }], [[1], [2], [3]]);
      expect(counters.connectionsOpened).toBe(2);
      expect(counters.currentSessions).toBe(2);
      expect(counters.peakSessions).toBe(2);
      expect(counters.logins).toEqual({ sql: 2, token: 0, failed: 0 });
      expect(counters.rowsStreamed).toBe(10);
      expect(counters.rowsBulkLoaded).toBe(3);
      expect(counters.statements).toMatchObject({ select: 1, createTable: 1, insertBulk: 1, bulkLoad: 1 });
      await close(d);
      own.standIn!.reset();
      expect(counters.connectionsOpened).toBe(0);
      expect(counters.rowsStreamed).toBe(0);
      expect(counters.statements).toEqual({});
      await close(c);
    } finally {
      await own.close();
    }
  });
});
