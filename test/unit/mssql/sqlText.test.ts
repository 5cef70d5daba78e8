import { classifySqlError, sqlFailure } from '../../../src/connections/mssql/sqlErrors';
import { credentialFor, tediousAuthentication } from '../../../src/connections/mssql/authentication';
import { MssqlConnectionSchema } from '../../../src/config/schema';
import { probeSql, readSql } from '../../../src/homes/mssql/selectSql';
import { publishSql, stagingNameParts } from '../../../src/stores/mssql/tableSql';

const cols = [
  { name: 'id', sqlType: { base: 'bigint' as const } },
  { name: 'na]me', sqlType: { base: 'nvarchar' as const, length: 50 } },
];

describe('SQL text', () => {
  it('quotes every name, even hostile ones', () => {
    expect(probeSql({ table: '[dbo].[x]]; drop table y; --]' }, ['a]b'])).toBe('SELECT TOP (0) [a]]b] FROM [dbo].[x]]; drop table y; --]');
    const sql = readSql({ table: '[dbo].[t]' }, [{ name: 'd', sqlType: { base: 'datetimeoffset', scale: 7 }, nullable: true, asText: true }], {
      column: { name: 'd', sqlType: { base: 'datetimeoffset', scale: 7 }, nullable: true, asText: true },
    });
    expect(sql).toBe('SELECT CAST([d] AS varchar(48)) AS [d] FROM [dbo].[t]\nWHERE [d] > CAST(@watermark AS datetimeoffset(7))');
  });
  it('names a staging table next to the target', () => {
    expect(stagingNameParts(['dbo', 'orders'], 'abc')).toEqual(['dbo', 'orders__hygge_abc']);
    expect(stagingNameParts(['orders'], 'abc')).toEqual(['dbo', 'orders__hygge_abc']);
  });
  it.each(['append', 'replace', 'truncate_insert', 'merge'] as const)('publishes %s in one transaction that drops the staging table', (strategy) => {
    const sql = publishSql({ strategy, target: ['dbo', 't'], staging: ['dbo', 't__hygge_1'], columns: cols, keyColumns: ['id'], targetExists: true });
    expect(sql).toContain('BEGIN TRANSACTION');
    expect(sql).toContain('COMMIT TRANSACTION');
    expect(sql).toContain('IF OBJECT_ID(@staging) IS NOT NULL');
    if (strategy === 'merge') expect(sql).toContain('ON t.[id] = s.[id]');
    if (strategy === 'replace') expect(sql).toContain('sp_rename @staging, @target_name');
    else expect(sql).toContain('DROP TABLE [dbo].[t__hygge_1]');
    if (strategy !== 'replace') expect(sql).toContain('[na]]me]');
  });
});

describe('SQL errors', () => {
  it('classifies Azure transient numbers and socket faults', () => {
    expect(classifySqlError({ number: 40613, message: 'x' }).transient).toBe(true);
    expect(classifySqlError({ name: 'ConnectionError', code: 'ESOCKET', message: 'reset' }).transient).toBe(true);
    expect(classifySqlError({ originalError: { number: 208 } }).transient).toBe(false);
  });
  it('says what the number means and marks it retryable', () => {
    const e = sqlFailure(Object.assign(new Error('not available'), { number: 40613 }), 'reading', { connection: 'db', entity: 'orders' });
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('40613 (database unavailable (failover or paused serverless database))');
    expect(e.context).toMatchObject({ connection: 'db', entity: 'orders', sqlNumber: 40613 });
  });
});

describe('credentials', () => {
  const base = { type: 'mssql', server: 's', database: 'd' };
  it('sql auth names the unset variable', () => {
    const c = MssqlConnectionSchema.parse({ ...base, auth: 'sql' });
    expect(() => tediousAuthentication('db', c, {})).toThrow(/SQL_USER/);
    expect(tediousAuthentication('db', c, { SQL_USER: 'u', SQL_PASSWORD: 'p' })).toEqual({ type: 'default', options: { userName: 'u', password: 'p' } });
  });
  it('managed identity is the default and goes through token-credential', () => {
    const c = MssqlConnectionSchema.parse(base);
    expect(credentialFor('db', c)?.constructor.name).toBe('ManagedIdentityCredential');
    expect(tediousAuthentication('db', c).type).toBe('token-credential');
  });
  it('service principal needs its secret variable', () => {
    const c = MssqlConnectionSchema.parse({ ...base, auth: 'service_principal', client_id: 'a', tenant_id: 't' });
    expect(() => credentialFor('db', c, {})).toThrow(/AZURE_CLIENT_SECRET/);
  });
});
