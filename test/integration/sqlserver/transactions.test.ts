/**
 * Transactions roll back for real (DDL included): T-SQL BEGIN/COMMIT/ROLLBACK, tedious
 * beginTransaction (TRANSACTION_MANAGER requests and the ENVCHANGE descriptors tedious keys
 * on), mssql Transaction, XACT_ABORT, and a dropped connection.
 */
import sql from 'mssql';
import type { Connection } from 'tedious';
import { openSqlTarget, sqlTargetKinds, type SqlTarget } from '../../support/sqlTarget';
import { close, connect, failure, query } from './tedious-helpers';

const tx = (c: Connection, op: 'begin' | 'commit' | 'rollback') =>
  new Promise<void>((resolve, reject) => {
    const cb = (err?: Error | null) => (err ? reject(err) : resolve());
    if (op === 'begin') c.beginTransaction(cb);
    else if (op === 'commit') c.commitTransaction(cb);
    else c.rollbackTransaction(cb);
  });

describe.each(sqlTargetKinds())('transactions on %s', (kind) => {
  let target: SqlTarget;
  let conn: Connection;
  let pool: sql.ConnectionPool;
  const count = async (t: string) => (await query(conn, `SELECT COUNT(*) AS n FROM ${t}`))[0].n;

  beforeAll(async () => {
    target = await openSqlTarget(kind);
    conn = await connect(target.tediousConfig());
    pool = await new sql.ConnectionPool(target.mssqlConfig()).connect();
  });
  afterAll(async () => {
    await close(conn);
    await pool.close();
    await target.close();
  });

  it('T-SQL ROLLBACK undoes rows and DDL', async () => {
    const t = target.uniqueName('tx_rows');
    const created = target.uniqueName('tx_created');
    await query(conn, `CREATE TABLE ${t} (id int NOT NULL PRIMARY KEY, v nvarchar(10) NULL)`);
    await query(conn, `INSERT INTO ${t} VALUES (1, N'keep')`);
    const inside = await query(conn, `BEGIN TRANSACTION;
      INSERT INTO ${t} VALUES (2, N'gone');
      UPDATE ${t} SET v = N'changed' WHERE id = 1;
      CREATE TABLE ${created} (x int);
      EXEC sp_rename 'dbo.${t}', '${t}_renamed';
      SELECT @@TRANCOUNT AS tc`);
    expect(inside[0].tc).toBe(1);
    await query(conn, 'ROLLBACK TRANSACTION');
    expect(await query(conn, `SELECT id, v FROM ${t}`)).toEqual([{ id: 1, v: 'keep' }]);
    const e = await failure(query(conn, `SELECT * FROM ${created}`));
    expect(e.message).toMatch(/Invalid object name/);
    expect((await query(conn, 'SELECT @@TRANCOUNT AS tc'))[0].tc).toBe(0);
  });

  it('T-SQL COMMIT keeps changes; nested BEGIN needs the outer COMMIT', async () => {
    const t = target.uniqueName('tx_commit');
    await query(conn, `CREATE TABLE ${t} (id int NOT NULL PRIMARY KEY)`);
    await query(conn, `BEGIN TRAN; INSERT INTO ${t} VALUES (1); BEGIN TRAN; INSERT INTO ${t} VALUES (2); COMMIT; SELECT @@TRANCOUNT AS tc`);
    await query(conn, 'COMMIT');
    expect(await count(t)).toBe(2);
    const e = await failure(query(conn, 'COMMIT TRANSACTION'));
    expect(e.message).toBe('The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.');
  });

  it('tedious beginTransaction / rollbackTransaction / commitTransaction', async () => {
    const t = target.uniqueName('tx_tm');
    await query(conn, `CREATE TABLE ${t} (id int NOT NULL PRIMARY KEY)`);
    await tx(conn, 'begin');
    await query(conn, `INSERT INTO ${t} VALUES (1)`);
    await query(conn, `DROP TABLE ${t}`);
    await tx(conn, 'rollback');
    expect(await count(t)).toBe(0);
    await tx(conn, 'begin');
    await query(conn, `INSERT INTO ${t} VALUES (2)`, [], false);
    await tx(conn, 'commit');
    expect(await count(t)).toBe(1);
  });

  it('mssql Transaction commit and rollback', async () => {
    const t = target.uniqueName('tx_mssql');
    await pool.request().query(`CREATE TABLE ${t} (id int NOT NULL PRIMARY KEY, v int NULL)`);
    const a = new sql.Transaction(pool);
    await a.begin();
    await new sql.Request(a).input('id', sql.Int, 1).query(`INSERT INTO ${t} (id) VALUES (@id)`);
    await a.commit();
    const b = new sql.Transaction(pool);
    await b.begin(sql.ISOLATION_LEVEL.SERIALIZABLE);
    await new sql.Request(b).query(`INSERT INTO ${t} (id) VALUES (2); TRUNCATE TABLE ${t}`);
    expect((await new sql.Request(b).query(`SELECT COUNT(*) AS n FROM ${t}`)).recordset[0].n).toBe(0);
    await b.rollback();
    expect((await pool.request().query(`SELECT id FROM ${t}`)).recordset).toEqual([{ id: 1 }]);
  });

  it('XACT_ABORT ON rolls back the whole transaction on an error', async () => {
    const t = target.uniqueName('tx_abort');
    await query(conn, `CREATE TABLE ${t} (id int NOT NULL PRIMARY KEY)`);
    const e = await failure(query(conn, `SET XACT_ABORT ON; BEGIN TRAN; INSERT INTO ${t} VALUES (1); INSERT INTO ${t} VALUES (1); INSERT INTO ${t} VALUES (3); COMMIT`));
    expect(e.message).toMatch(/PRIMARY KEY/);
    await query(conn, 'SET XACT_ABORT OFF');
    expect((await query(conn, 'SELECT @@TRANCOUNT AS tc'))[0].tc).toBe(0);
    expect(await count(t)).toBe(0);
  });

  it('a connection that drops mid-transaction is rolled back', async () => {
    const t = target.uniqueName('tx_drop');
    await query(conn, `CREATE TABLE ${t} (id int NOT NULL PRIMARY KEY)`);
    const other = await connect(target.tediousConfig());
    await query(other, `BEGIN TRAN; INSERT INTO ${t} VALUES (1)`);
    await close(other);
    // the server notices the closed socket asynchronously
    for (let i = 0; i < 50 && (await count(t)) !== 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await count(t)).toBe(0);
  });
});
