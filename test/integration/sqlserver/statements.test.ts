/**
 * The T-SQL a data tool sends and a tester needs, through mssql (and tedious where the
 * request shape matters): DDL, DML, MERGE upserts, renames, schema discovery, and errors
 * with SQL Server's numbers, states, classes and messages.
 */
import sql from 'mssql';
import { openSqlTarget, sqlTargetKinds, type SqlTarget } from '../../support/sqlTarget';
import { failure } from './tedious-helpers';

describe.each(sqlTargetKinds())('statements on %s', (kind) => {
  let target: SqlTarget;
  let pool: sql.ConnectionPool;
  const q = (text: string) => pool.request().query(text);

  beforeAll(async () => {
    target = await openSqlTarget(kind);
    pool = await new sql.ConnectionPool(target.mssqlConfig()).connect();
  });
  afterAll(async () => {
    await pool.close();
    await target.close();
  });

  it('creates, fills, queries, updates and deletes', async () => {
    const t = target.uniqueName('people');
    await q(`CREATE TABLE dbo.${t} (id int IDENTITY(1,1) NOT NULL PRIMARY KEY, name nvarchar(50) NOT NULL, score decimal(9,2) NULL, updated datetime2(3) NULL)`);
    const ins = await q(`INSERT INTO dbo.${t} (name, score) VALUES (N'ann', 10.5), (N'bob', NULL), (N'cid', 7); SELECT SCOPE_IDENTITY() AS id`);
    expect(ins.rowsAffected[0]).toBe(3);
    expect(ins.recordset[0].id).toBe(3);
    const top = await q(`SELECT TOP 2 id, name FROM [dbo].[${t}] WHERE score IS NOT NULL OR name = N'bob' ORDER BY name DESC`);
    expect(top.recordset).toEqual([{ id: 3, name: 'cid' }, { id: 2, name: 'bob' }]);
    const agg = await q(`SELECT MAX(id) AS maxId, MIN(score) AS minScore, COUNT(*) AS n, COUNT_BIG(*) AS nb, COUNT(score) AS scored FROM ${t}`);
    expect(agg.recordset[0]).toEqual({ maxId: 3, minScore: 7, n: 3, nb: '3', scored: 2 });
    const upd = await pool.request().input('s', sql.Decimal(9, 2), 1.25).query(`UPDATE ${t} SET score = score + @s, updated = '2024-01-02T03:04:05.678' WHERE NOT (name <> N'ann') AND (score >= 10 OR score < 0)`);
    expect(upd.rowsAffected[0]).toBe(1);
    expect((await q(`SELECT score FROM ${t} WHERE id = 1`)).recordset[0].score).toBe(11.75);
    const del = await q(`DELETE FROM ${t} WHERE score IS NULL`);
    expect(del.rowsAffected[0]).toBe(1);
    await q(`TRUNCATE TABLE ${t}`);
    expect((await q(`SELECT COUNT(*) AS n FROM ${t}`)).recordset[0].n).toBe(0);
    await q(`DROP TABLE ${t}`);
    await q(`DROP TABLE IF EXISTS ${t}`);
  });

  it('paginates with OFFSET/FETCH and compares strings case-insensitively', async () => {
    const t = target.uniqueName('letters');
    await q(`CREATE TABLE ${t} (c varchar(5) NOT NULL PRIMARY KEY)`);
    await q(`INSERT INTO ${t} VALUES ('a'), ('B'), ('c'), ('D'), ('e')`);
    const page = await q(`SELECT c FROM ${t} ORDER BY c OFFSET 1 ROWS FETCH NEXT 2 ROWS ONLY`);
    expect(page.recordset.map((r) => r.c)).toEqual(['B', 'c']);
    expect((await q(`SELECT COUNT(*) AS n FROM ${t} WHERE c = 'b' OR c IN ('E', 'zz') OR c LIKE 'd%'`)).recordset[0].n).toBe(3);
    const dup = await failure(q(`INSERT INTO ${t} VALUES ('A')`));
    expect(dup.number).toBe(2627);
  });

  it('groups with GROUP BY / HAVING and orders the groups', async () => {
    const t = target.uniqueName('sales');
    await q(`CREATE TABLE ${t} (region varchar(10) NOT NULL, product varchar(10) NOT NULL, amount int NULL)`);
    await q(`INSERT INTO ${t} VALUES ('north', 'a', 10), ('north', 'b', 5), ('south', 'a', 7), ('south', 'a', NULL), ('east', 'c', 1)`);
    const r = await q(`SELECT region, COUNT(*) AS n, SUM(amount) AS total FROM ${t} GROUP BY region HAVING COUNT(*) > 1 ORDER BY total DESC`);
    expect(r.recordset).toEqual([{ region: 'north', n: 2, total: 15 }, { region: 'south', n: 2, total: 7 }]);
    const two = await q(`SELECT region, product, MAX(amount) AS m FROM ${t} WHERE region <> 'east' GROUP BY region, product ORDER BY 1, 2`);
    expect(two.recordset).toEqual([{ region: 'north', product: 'a', m: 10 }, { region: 'north', product: 'b', m: 5 }, { region: 'south', product: 'a', m: 7 }]);
    expect((await failure(q(`SELECT region, product FROM ${t} GROUP BY region`))).number).toBe(8120);
  });

  it('runs parameterized statements (sp_executesql) and prepared statements (sp_prepare/sp_execute)', async () => {
    const t = target.uniqueName('params');
    await q(`CREATE TABLE ${t} (id bigint NOT NULL PRIMARY KEY, label nvarchar(20) NULL)`);
    await pool.request().input('id', sql.BigInt, 5).input('label', sql.NVarChar(20), 'five').query(`INSERT INTO ${t} VALUES (@id, @label)`);
    const ps = new sql.PreparedStatement(pool);
    ps.input('id', sql.BigInt);
    ps.input('label', sql.NVarChar(20));
    await ps.prepare(`INSERT INTO ${t} (id, label) VALUES (@id, @label)`);
    for (let i = 6; i < 9; i++) await ps.execute({ id: i, label: `n${i}` });
    await ps.unprepare();
    const r = await pool.request().input('min', sql.BigInt, 6).query(`SELECT id, label FROM ${t} WHERE id >= @min ORDER BY id`);
    expect(r.recordset.map((x) => x.label)).toEqual(['n6', 'n7', 'n8']);
  });

  it('upserts with MERGE on the key columns', async () => {
    const target_ = target.uniqueName('merge_target');
    const staging = target.uniqueName('merge_staging');
    await q(`CREATE TABLE ${target_} (k1 int NOT NULL, k2 nvarchar(10) NOT NULL, v int NULL, CONSTRAINT PK_${target_} PRIMARY KEY (k1, k2))`);
    await q(`CREATE TABLE ${staging} (k1 int NOT NULL, k2 nvarchar(10) NOT NULL, v int NULL)`);
    await q(`INSERT INTO ${target_} VALUES (1, N'a', 1), (2, N'b', 2)`);
    await q(`INSERT INTO ${staging} VALUES (2, N'B', 20), (3, N'c', 30)`);
    const r = await q(`MERGE ${target_} AS t USING ${staging} AS s ON t.k1 = s.k1 AND t.k2 = s.k2
      WHEN MATCHED THEN UPDATE SET v = s.v
      WHEN NOT MATCHED BY TARGET THEN INSERT (k1, k2, v) VALUES (s.k1, s.k2, s.v);`);
    expect(r.rowsAffected[0]).toBe(2);
    const rows = (await q(`SELECT k1, k2, v FROM ${target_} ORDER BY k1`)).recordset;
    expect(rows).toEqual([{ k1: 1, k2: 'a', v: 1 }, { k1: 2, k2: 'b', v: 20 }, { k1: 3, k2: 'c', v: 30 }]);
    const viaValues = await q(`MERGE INTO ${target_} t USING (VALUES (1, N'a', 100)) AS s (k1, k2, v) ON t.k1 = s.k1 AND t.k2 = s.k2 WHEN MATCHED THEN UPDATE SET t.v = s.v WHEN NOT MATCHED THEN INSERT (k1, k2, v) VALUES (s.k1, s.k2, s.v);`);
    expect(viaValues.rowsAffected[0]).toBe(1);
    expect((await q(`SELECT v FROM ${target_} WHERE k1 = 1`)).recordset[0].v).toBe(100);
  });

  it('inserts from a SELECT and swaps tables with sp_rename and ALTER SCHEMA TRANSFER', async () => {
    const schema = target.uniqueName('stage');
    const live = target.uniqueName('live');
    const next = target.uniqueName('next');
    await q(`CREATE SCHEMA ${schema}`);
    await q(`CREATE TABLE dbo.${live} (id int NOT NULL PRIMARY KEY, v nvarchar(5) NULL)`);
    await q(`INSERT INTO dbo.${live} VALUES (1, N'old')`);
    await q(`CREATE TABLE ${schema}.${next} (id int NOT NULL PRIMARY KEY, v nvarchar(5) NULL)`);
    const copied = await q(`INSERT INTO ${schema}.${next} (id, v) SELECT id + 10, N'new' FROM dbo.${live} WHERE id = 1`);
    expect(copied.rowsAffected[0]).toBe(1);
    await q(`EXEC sp_rename 'dbo.${live}', '${live}_old'`);
    await q(`ALTER SCHEMA dbo TRANSFER ${schema}.${next}`);
    await q(`EXEC sp_rename 'dbo.${next}', '${live}'`);
    expect((await q(`SELECT id, v FROM dbo.${live}`)).recordset).toEqual([{ id: 11, v: 'new' }]);
    expect((await q(`SELECT id, v FROM dbo.${live}_old`)).recordset).toEqual([{ id: 1, v: 'old' }]);
    const r = pool.request();
    await r.input('objname', sql.NVarChar, `dbo.${live}_old`).input('newname', sql.NVarChar, `${live}_older`).execute('sp_rename');
    expect((await q(`SELECT COUNT(*) AS n FROM ${live}_older`)).recordset[0].n).toBe(1);
  });

  it('parses sp_rename names like PARSENAME and accepts table hints on INSERT', async () => {
    const odd = `${target.uniqueName('x')}]; DROP TABLE [dbo]].[orders]; --'.v`;
    const quoted = `[dbo].[${odd.replace(/]/g, ']]')}]`;
    const plain = target.uniqueName('plain');
    await q(`CREATE TABLE ${quoted} (a int NULL)`);
    await q(`CREATE TABLE dbo.${plain} (a int NULL)`);
    await q(`INSERT INTO dbo.${plain} WITH (TABLOCK) (a) SELECT 1`);
    await q(`INSERT INTO ${quoted} WITH (TABLOCK) (a) SELECT a FROM dbo.${plain} WITH (NOLOCK)`);
    await pool.request().input('from', sql.NVarChar, quoted).input('to', sql.NVarChar, `${plain}_renamed`).query('EXEC sp_rename @from, @to');
    expect((await q(`SELECT a FROM dbo.${plain}_renamed`)).recordset).toEqual([{ a: 1 }]);
  });

  it('answers schema discovery through INFORMATION_SCHEMA and sys views', async () => {
    const t = target.uniqueName('disco');
    await q(`CREATE TABLE dbo.${t} (id bigint IDENTITY NOT NULL, code char(3) NOT NULL, amount decimal(12,3) NULL, name nvarchar(max) NULL, at datetime2(4) NULL, blob varbinary(16) NULL, CONSTRAINT PK_${t} PRIMARY KEY (id, code))`);
    const cols = await pool.request().input('t', sql.NVarChar, t).query(`SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, IS_NULLABLE, ORDINAL_POSITION
      FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'dbo' AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION`);
    expect(cols.recordset).toEqual([
      { COLUMN_NAME: 'id', DATA_TYPE: 'bigint', CHARACTER_MAXIMUM_LENGTH: null, NUMERIC_PRECISION: 19, NUMERIC_SCALE: 0, DATETIME_PRECISION: null, IS_NULLABLE: 'NO', ORDINAL_POSITION: 1 },
      { COLUMN_NAME: 'code', DATA_TYPE: 'char', CHARACTER_MAXIMUM_LENGTH: 3, NUMERIC_PRECISION: null, NUMERIC_SCALE: null, DATETIME_PRECISION: null, IS_NULLABLE: 'NO', ORDINAL_POSITION: 2 },
      { COLUMN_NAME: 'amount', DATA_TYPE: 'decimal', CHARACTER_MAXIMUM_LENGTH: null, NUMERIC_PRECISION: 12, NUMERIC_SCALE: 3, DATETIME_PRECISION: null, IS_NULLABLE: 'YES', ORDINAL_POSITION: 3 },
      { COLUMN_NAME: 'name', DATA_TYPE: 'nvarchar', CHARACTER_MAXIMUM_LENGTH: -1, NUMERIC_PRECISION: null, NUMERIC_SCALE: null, DATETIME_PRECISION: null, IS_NULLABLE: 'YES', ORDINAL_POSITION: 4 },
      { COLUMN_NAME: 'at', DATA_TYPE: 'datetime2', CHARACTER_MAXIMUM_LENGTH: null, NUMERIC_PRECISION: null, NUMERIC_SCALE: null, DATETIME_PRECISION: 4, IS_NULLABLE: 'YES', ORDINAL_POSITION: 5 },
      { COLUMN_NAME: 'blob', DATA_TYPE: 'varbinary', CHARACTER_MAXIMUM_LENGTH: 16, NUMERIC_PRECISION: null, NUMERIC_SCALE: null, DATETIME_PRECISION: null, IS_NULLABLE: 'YES', ORDINAL_POSITION: 6 },
    ]);
    const tables = await pool.request().input('t', sql.NVarChar, t).query(`SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = @t`);
    expect(tables.recordset).toEqual([{ TABLE_SCHEMA: 'dbo', TABLE_NAME: t, TABLE_TYPE: 'BASE TABLE' }]);
    const pk = await pool.request().input('t', sql.NVarChar, t).query(`SELECT c.name AS col, ic.key_ordinal AS ord
      FROM sys.indexes i
      JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
      JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
      JOIN sys.tables t ON t.object_id = i.object_id
      JOIN sys.schemas s ON s.schema_id = t.schema_id
      WHERE i.is_primary_key = 1 AND t.name = @t AND s.name = 'dbo' ORDER BY ic.key_ordinal`);
    expect(pk.recordset).toEqual([{ col: 'id', ord: 1 }, { col: 'code', ord: 2 }]);
    const types = await pool.request().input('t', sql.NVarChar, t).query(`SELECT c.name, ty.name AS type, c.max_length, c.precision, c.scale, c.is_nullable, c.is_identity
      FROM sys.columns c JOIN sys.types ty ON ty.user_type_id = c.user_type_id
      WHERE c.object_id = OBJECT_ID('dbo.' + @t) ORDER BY c.column_id`);
    expect(types.recordset.slice(0, 4)).toEqual([
      { name: 'id', type: 'bigint', max_length: 8, precision: 19, scale: 0, is_nullable: false, is_identity: true },
      { name: 'code', type: 'char', max_length: 3, precision: 0, scale: 0, is_nullable: false, is_identity: false },
      { name: 'amount', type: 'decimal', max_length: 9, precision: 12, scale: 3, is_nullable: true, is_identity: false },
      { name: 'name', type: 'nvarchar', max_length: -1, precision: 0, scale: 0, is_nullable: true, is_identity: false },
    ]);
  });

  it('creates a table for mssql table.bulk with table.create', async () => {
    const t = target.uniqueName('bulk_create');
    const table = new sql.Table(t);
    table.create = true;
    table.columns.add('id', sql.Int, { nullable: false, primary: true });
    table.columns.add('name', sql.NVarChar(30), { nullable: true });
    table.rows.add(1, 'one');
    table.rows.add(2, null);
    const r = await pool.request().bulk(table);
    expect(r.rowsAffected).toBe(2);
    expect((await q(`SELECT COUNT(*) AS n FROM ${t} WHERE name IS NULL`)).recordset[0].n).toBe(1);
  });

  it('handles quoted identifiers, variables, USE, IDENTITY_INSERT and sys.objects', async () => {
    const t = target.uniqueName('we]ird');
    const quoted = `[${t.replace(/]/g, ']]')}]`;
    await q(`CREATE TABLE dbo.${quoted} ("select" int IDENTITY(1,1) NOT NULL PRIMARY KEY, [two words] nvarchar(10) NULL)`);
    await q(`SET IDENTITY_INSERT dbo.${quoted} ON; INSERT INTO dbo.${quoted} ("select", [two words]) VALUES (42, N'x'); SET IDENTITY_INSERT dbo.${quoted} OFF`);
    await q(`INSERT INTO dbo.${quoted} ([two words]) VALUES (N'y')`);
    const r = await q(`DECLARE @min int = 40; SET @min = @min + 1; SELECT [select] AS s, "two words" AS w FROM dbo.${quoted} WHERE [select] > @min ORDER BY 1`);
    expect(r.recordset).toEqual([{ s: 42, w: 'x' }, { s: 43, w: 'y' }]);
    const objects = await pool.request().input('t', sql.NVarChar, t).query(`SELECT o.type, o.type_desc FROM sys.objects o WHERE o.name = @t OR o.parent_object_id = OBJECT_ID(QUOTENAME_PLACEHOLDER) ORDER BY o.type DESC`.replace('QUOTENAME_PLACEHOLDER', `'dbo.${quoted.replace(/'/g, "''")}'`));
    expect(objects.recordset).toEqual([{ type: 'U ', type_desc: 'USER_TABLE' }, { type: 'PK', type_desc: 'PRIMARY_KEY_CONSTRAINT' }]);
    // one request, so the pooled connection is back in its database afterwards
    const use = await q(`USE master; SELECT DB_NAME() AS db; USE ${target.settings.database}`);
    expect(use.recordset[0].db).toBe('master');
  });

  describe('errors', () => {
    const err = (text: string) => failure(q(text));

    it('102 incorrect syntax, with line number and server name', async () => {
      const e = await err('SELECT 1;\nSELECT * FROM sys.tables WHERE name = = 2');
      expect(e).toMatchObject({ number: 102, class: 15, state: 1, lineNumber: 2 });
      expect(e.message).toBe("Incorrect syntax near '='.");
      expect(typeof e.serverName).toBe('string');
    });

    it('208 invalid object and 207 invalid column', async () => {
      const t = target.uniqueName('errs');
      expect(await err(`SELECT * FROM dbo.${t}_missing`)).toMatchObject({ number: 208, class: 16, message: `Invalid object name 'dbo.${t}_missing'.` });
      await q(`CREATE TABLE ${t} (id int NOT NULL PRIMARY KEY, name varchar(3) NOT NULL)`);
      expect(await err(`SELECT nope FROM ${t}`)).toMatchObject({ number: 207, class: 16, message: "Invalid column name 'nope'." });
    });

    it('2627 primary key, 515 NULL, 2628 truncation', async () => {
      const t = target.uniqueName('errs2');
      await q(`CREATE TABLE dbo.${t} (id int NOT NULL, name varchar(3) NOT NULL, CONSTRAINT PK_${t} PRIMARY KEY (id))`);
      await q(`INSERT INTO dbo.${t} VALUES (1, 'abc')`);
      expect(await err(`INSERT INTO dbo.${t} VALUES (1, 'xyz')`)).toMatchObject({
        number: 2627, class: 14, state: 1,
        message: `Violation of PRIMARY KEY constraint 'PK_${t}'. Cannot insert duplicate key in object 'dbo.${t}'. The duplicate key value is (1).`,
      });
      const nullErr = await err(`INSERT INTO dbo.${t} (id) VALUES (2)`);
      expect(nullErr).toMatchObject({ number: 515, class: 16, state: 2 });
      expect(nullErr.message).toMatch(new RegExp(`^Cannot insert the value NULL into column 'name', table '.*\\.dbo\\.${t}'; column does not allow nulls\\. INSERT fails\\.$`));
      const trunc = await err(`INSERT INTO dbo.${t} VALUES (3, 'abcdef')`);
      expect([2628, 8152]).toContain(trunc.number);
      expect(trunc.class).toBe(16);
      // the failed statements changed nothing
      expect((await q(`SELECT COUNT(*) AS n FROM dbo.${t}`)).recordset[0].n).toBe(1);
    });

    it('2714 already exists and 3701 cannot drop', async () => {
      const t = target.uniqueName('errs3');
      await q(`CREATE TABLE ${t} (id int)`);
      expect(await err(`CREATE TABLE ${t} (id int)`)).toMatchObject({ number: 2714, message: `There is already an object named '${t}' in the database.` });
      expect(await err(`DROP TABLE ${t}_missing`)).toMatchObject({ number: 3701, class: 11, message: `Cannot drop the table '${t}_missing', because it does not exist or you do not have permission.` });
    });

    it('THROW and RAISERROR raise user errors; PRINT sends an informational message', async () => {
      expect(await err("THROW 50001, N'custom failure', 3")).toMatchObject({ number: 50001, state: 3, class: 16, message: 'custom failure' });
      expect(await err("RAISERROR(N'raised', 16, 2)")).toMatchObject({ number: 50000, state: 2, class: 16, message: 'raised' });
      const req = pool.request();
      const infos: string[] = [];
      req.on('info', (i: { message: string }) => infos.push(i.message));
      await req.query("PRINT N'hello'");
      expect(infos).toContain('hello');
    });

    it('a statement error lets the batch go on; a multi-row insert is all or nothing', async () => {
      const t = target.uniqueName('errs4');
      await q(`CREATE TABLE ${t} (id int NOT NULL PRIMARY KEY)`);
      const e = await err(`INSERT INTO ${t} VALUES (1); INSERT INTO ${t} VALUES (1); INSERT INTO ${t} VALUES (2), (3), (2); INSERT INTO ${t} VALUES (4)`);
      expect(e.number).toBe(2627);
      expect((await q(`SELECT id FROM ${t} ORDER BY id`)).recordset.map((r) => r.id)).toEqual([1, 4]);
    });

    it('an invalid object name aborts the rest of the batch', async () => {
      const t = target.uniqueName('errs5');
      await q(`CREATE TABLE ${t} (id int NOT NULL PRIMARY KEY)`);
      const e = await err(`INSERT INTO ${t} VALUES (1); SELECT * FROM ${t}_missing; INSERT INTO ${t} VALUES (2)`);
      expect(e.number).toBe(208);
      expect((await q(`SELECT id FROM ${t}`)).recordset.map((r) => r.id)).toEqual([1]);
    });
  });
});

describe('refusals (stand-in)', () => {
  let target: SqlTarget;
  let pool: sql.ConnectionPool;
  beforeAll(async () => {
    target = await openSqlTarget('stand-in');
    pool = await new sql.ConnectionPool(target.mssqlConfig()).connect();
  });
  afterAll(async () => {
    await pool.close();
    await target.close();
  });

  it.each([
    ['SET FOOBAR ON', 195],
    ['SELECT COUNT(*) FROM sys.tables GROUP BY ROLLUP(name)', 40517],
    ['SELECT name, COUNT(*) FROM sys.tables', 8120],
    ['SELECT * FROM sys.nonexistent_view', 208],
    ['SELECT NOSUCHFUNC(1)', 195],
    ['EXEC sp_who', 2812],
    ['WITH x AS (SELECT 1 AS a) SELECT * FROM x', 40517],
    ['SET IMPLICIT_TRANSACTIONS ON', 40517],
  ])('%s -> %i', async (text, number) => {
    const e = await failure(pool.request().query(text));
    expect(e.number).toBe(number);
  });

  it('accepts the SET options drivers send', async () => {
    await pool.request().query('SET ANSI_NULLS ON; SET TEXTSIZE 2147483647; SET XACT_ABORT OFF; SET NOCOUNT OFF; SET TRANSACTION ISOLATION LEVEL READ COMMITTED; SET DATEFORMAT mdy; SET LANGUAGE us_english');
  });
});
