/**
 * Bad input fails with a clear error and leaves the target as it was: a missing table, a
 * missing column, and a type mismatch on append (checked before any row moves; no staging
 * table is left behind).
 */
import * as A from 'apache-arrow';
import sql from 'mssql';
import { openSqlTarget, sqlTargetKinds, type SqlTarget } from '../../support/sqlTarget';
import { connectionYaml, expectSucceeded, sqlProject, type SqlProject } from './sqlProject';

describe.each(sqlTargetKinds())('bad input (%s)', (kind) => {
  let target: SqlTarget;
  let project: SqlProject;
  let pool: sql.ConnectionPool;
  let typed: string;
  let missing: string;

  beforeAll(async () => {
    target = await openSqlTarget(kind);
    pool = await new sql.ConnectionPool(target.mssqlConfig()).connect();
    typed = target.uniqueName('typed');
    missing = target.uniqueName('missing');
    // the same server with a password that is not the login's
    process.env.HYGGE_TEST_WRONG_PASSWORD = 'not-the-password-1!';
    const wrongLogin = connectionYaml(target, { name: 'wrong_login' }).map((l) => l.replace(/password_env: .*/, 'password_env: HYGGE_TEST_WRONG_PASSWORD'));
    project = sqlProject({ connections: [...connectionYaml(target), ...wrongLogin] });
    project.flow('load', ['home:', '  type: parquet', '  path: data/{entity}.parquet', 'store:', '  type: mssql', '  connection: db', '  table: dbo.{entity}',
      '  write: append', 'entities:', `  - ${typed}`, ''].join('\n'));
    project.flow('wrong_login', ['home:', '  type: mssql', '  connection: wrong_login', '  table: dbo.{entity}', 'store:', '  type: parquet', '  path: out',
      'entities:', `  - ${typed}`, ''].join('\n'));
    project.flow('extract', ['home:', '  type: mssql', '  connection: db', '  table: dbo.{entity}', 'store:', '  type: parquet', '  path: out',
      'entities:', `  - ${missing}`, `  - name: ${typed}`, '    home: { columns: [id, no_such_column] }', ''].join('\n'));
    await project.writeParquet(`data/${typed}.parquet`, [A.tableFromArrays({ id: Int32Array.from([1, 2, 3]), name: ['a', 'b', 'c'] }).batches[0]!]);
    expectSucceeded(await project.run({ flows: ['load'] }));
  });
  afterAll(async () => {
    await pool?.close();
    project?.remove();
    await target?.close();
  });

  const rowsIn = async (table: string) => (await pool.request().query(`SELECT COUNT(*) AS n FROM [dbo].[${table}]`)).recordset[0].n as number;
  const stagingTables = async () =>
    (await pool.request().query("SELECT TABLE_NAME AS name FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE '%[_][_]hygge[_]%'")).recordset.map((r: { name: string }) => r.name);

  it('a missing table or column fails with the SQL error named', async () => {
    const summaries = await project.run({ flows: ['extract'] });
    const bySource = Object.fromEntries(summaries.map((s) => [s.entity, s]));
    expect(bySource[missing]).toMatchObject({
      status: 'failed',
      error: { code: 'SOURCE_NOT_FOUND', message: expect.stringContaining(`table [dbo].[${missing}] does not exist`), context: expect.objectContaining({ connection: 'db', sqlNumber: 208 }) },
    });
    expect(bySource[typed]).toMatchObject({
      status: 'failed',
      error: { code: 'SCHEMA_MISMATCH', message: expect.stringContaining('no_such_column'), context: expect.objectContaining({ sqlNumber: 207 }) },
    });
  });

  it('a failed login names the connection, the server with its port, and the SQL error', async () => {
    const [summary] = await project.run({ flows: ['wrong_login'] });
    expect(summary).toMatchObject({
      status: 'failed',
      error: { code: 'AUTH_FAILED', message: expect.stringContaining(`connecting to ${target.settings.server},${target.settings.port}/${target.settings.database}`),
        context: expect.objectContaining({ connection: 'wrong_login', sqlNumber: 18456 }) },
    });
  });

  it('a type mismatch on append fails before touching the target', async () => {
    await project.writeParquet(`data/${typed}.parquet`, [A.tableFromArrays({ id: ['not a number'], name: ['x'] }).batches[0]!]);
    const [summary] = await project.run({ flows: ['load'] });
    expect(summary).toMatchObject({ status: 'failed', error: { code: 'SCHEMA_MISMATCH', message: expect.stringContaining('"id"') } });
    expect(await rowsIn(typed)).toBe(3);
    expect(await stagingTables()).toEqual([]);
  });

  it('a value too wide for an existing column fails in the load and leaves the target as it was', async () => {
    const narrow = target.uniqueName('narrow');
    await pool.request().batch(`CREATE TABLE [dbo].[${narrow}] (id int NULL, code varchar(3) NULL); INSERT INTO [dbo].[${narrow}] (id, code) VALUES (1, 'abc');`);
    project.flow('narrow', ['home:', '  type: parquet', '  path: data/{entity}.parquet', 'store:', '  type: mssql', '  connection: db', '  table: dbo.{entity}',
      '  write: append', 'entities:', `  - ${narrow}`, ''].join('\n'));
    await project.writeParquet(`data/${narrow}.parquet`, [A.tableFromArrays({ id: Int32Array.from([2, 3]), code: ['ok', 'much too long'] }).batches[0]!]);
    const [summary] = await project.run({ flows: ['narrow'] });
    expect(summary!.status).toBe('failed');
    expect(summary!.error?.message).toMatch(/truncat|too long|8152|2628|4815/i);
    expect(await rowsIn(narrow)).toBe(1);
    expect(await stagingTables()).toEqual([]);
  });
});
