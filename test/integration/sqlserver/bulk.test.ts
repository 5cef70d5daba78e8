/**
 * INSERT BULK + BULK_LOAD behaviour through tedious and mssql: options, column subsets,
 * identity tables, and all-or-nothing failures (2627, 515, 207, 208).
 */
import sql from 'mssql';
import type { Connection } from 'tedious';
import { openSqlTarget, sqlTargetKinds, type SqlTarget } from '../../support/sqlTarget';
import { bulkLoad, close, connect, failure, query, TYPES } from './tedious-helpers';

describe.each(sqlTargetKinds())('bulk load on %s', (kind) => {
  let target: SqlTarget;
  let conn: Connection;
  const count = async (t: string) => (await query(conn, `SELECT COUNT(*) AS n FROM ${t}`))[0].n;
  const idCol = { name: 'id', type: TYPES.Int, options: { nullable: false } };
  const nameCol = { name: 'name', type: TYPES.NVarChar, options: { nullable: true, length: 20 } };

  beforeAll(async () => {
    target = await openSqlTarget(kind);
    conn = await connect(target.tediousConfig());
  });
  afterAll(async () => {
    await close(conn);
    await target.close();
  });

  it('accepts the INSERT BULK options and appends to existing rows', async () => {
    const t = target.uniqueName('bulk_opts');
    await query(conn, `CREATE TABLE ${t} (id int NOT NULL PRIMARY KEY, name nvarchar(20) NULL)`);
    await query(conn, `INSERT INTO ${t} VALUES (0, N'zero')`);
    const rows = Array.from({ length: 5000 }, (_, i) => [i + 1, i % 3 === 0 ? null : `n${i}`]);
    const n = await bulkLoad(conn, t, [idCol, nameCol], rows, { keepNulls: true, lockTable: true, checkConstraints: true, order: { id: 'ASC' } });
    expect(n).toBe(5000);
    expect(await count(t)).toBe(5001);
    expect(await query(conn, `SELECT name FROM ${t} WHERE id IN (1, 2) ORDER BY id`)).toEqual([{ name: null }, { name: 'n1' }]);
    expect((await query(conn, `SELECT MAX(id) AS m FROM ${t}`))[0].m).toBe(5000);
    // rows inserted right after a load keep their place behind the loaded ones
    await bulkLoad(conn, t, [idCol, nameCol], [[6000, 'late']]);
    await query(conn, `INSERT INTO ${t} VALUES (6001, N'last')`);
    expect(await count(t)).toBe(5003);
    const tail = await query(conn, `SELECT TOP 2 id FROM ${t} WHERE id >= 6000`);
    expect(tail.map((r) => r.id)).toEqual([6000, 6001]);
  });

  it('loads a subset of columns and generates identity values', async () => {
    const t = target.uniqueName('bulk_identity');
    await query(conn, `CREATE TABLE ${t} (id int IDENTITY(10,5) NOT NULL PRIMARY KEY, name nvarchar(20) NULL, note varchar(5) NULL)`);
    await bulkLoad(conn, t, [nameCol], [['a'], ['b'], ['c']]);
    expect(await query(conn, `SELECT id, name, note FROM ${t} ORDER BY id`)).toEqual([
      { id: 10, name: 'a', note: null }, { id: 15, name: 'b', note: null }, { id: 20, name: 'c', note: null },
    ]);
  });

  it('is all or nothing: a duplicate key fails the whole load with 2627', async () => {
    const t = target.uniqueName('bulk_dup');
    await query(conn, `CREATE TABLE ${t} (id int NOT NULL PRIMARY KEY, name nvarchar(20) NULL)`);
    await query(conn, `INSERT INTO ${t} VALUES (7, N'seven')`);
    const e = await failure(bulkLoad(conn, t, [idCol, nameCol], [[1, 'a'], [7, 'dup'], [8, 'b']]));
    expect(e.message).toMatch(/Violation of PRIMARY KEY constraint .*The duplicate key value is \(7\)\./);
    expect(await count(t)).toBe(1);
    const inLoad = await failure(bulkLoad(conn, t, [idCol, nameCol], [[100, 'a'], [100, 'b']]));
    expect(inLoad.message).toMatch(/duplicate key value is \(100\)/);
    expect(await count(t)).toBe(1);
  });

  it('refuses NULL into a NOT NULL column (515)', async () => {
    const t = target.uniqueName('bulk_null');
    await query(conn, `CREATE TABLE ${t} (id int NOT NULL, name nvarchar(20) NOT NULL)`);
    const e = await failure(bulkLoad(conn, t, [idCol, nameCol], [[1, 'a'], [2, null]]));
    expect(e.message).toMatch(/Cannot insert the value NULL into column 'name'/);
    expect(await count(t)).toBe(0);
  });

  it('reports unknown tables (208) and columns (207)', async () => {
    const t = target.uniqueName('bulk_cols');
    await query(conn, `CREATE TABLE ${t} (id int NOT NULL)`);
    expect((await failure(bulkLoad(conn, `${t}_missing`, [idCol], [[1]]))).message).toMatch(/Invalid object name/);
    expect((await failure(bulkLoad(conn, t, [idCol, { name: 'nope', type: TYPES.Int, options: { nullable: true } }], [[1, 2]]))).message).toMatch(/Invalid column name 'nope'/);
  });

  it('mssql table.bulk into an existing table inside a transaction rolls back', async () => {
    const t = target.uniqueName('bulk_tx');
    const pool = await new sql.ConnectionPool(target.mssqlConfig()).connect();
    try {
      await pool.request().query(`CREATE TABLE ${t} (id int NOT NULL PRIMARY KEY, v float NULL)`);
      const tx = new sql.Transaction(pool);
      await tx.begin();
      const table = new sql.Table(t);
      table.columns.add('id', sql.Int, { nullable: false });
      table.columns.add('v', sql.Float, { nullable: true });
      for (let i = 0; i < 100; i++) table.rows.add(i, i / 2);
      expect((await new sql.Request(tx).bulk(table)).rowsAffected).toBe(100);
      expect((await new sql.Request(tx).query(`SELECT SUM(v) AS s FROM ${t}`)).recordset[0].s).toBe(2475);
      await tx.rollback();
      expect((await pool.request().query(`SELECT COUNT(*) AS n FROM ${t}`)).recordset[0].n).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
