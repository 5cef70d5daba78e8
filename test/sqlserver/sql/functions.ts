import { randomUUID } from 'node:crypto';
import { SqlError, sqlErrors } from '../errors';
import { Decimal, Temporal, temporalFromDate, type SqlType, type Value } from '../types';
import { compareValues } from './compare';
import { tempTableName, type ExecContext } from './context';
import type { Compiled } from './expressions';

/** Aggregate function names (evaluated by the SELECT executor, not here). */
const AGGREGATES = new Set(['COUNT', 'COUNT_BIG', 'MAX', 'MIN', 'SUM', 'AVG']);
export const isAggregate = (name: string) => AGGREGATES.has(name);

const NVARCHAR128: SqlType = { name: 'nvarchar', length: 128 };
const INT: SqlType = { name: 'int' };

function arity(name: string, args: Compiled[], min: number, max = min): void {
  if (args.length < min || args.length > max) throw new SqlError(174, `The ${name.toLowerCase()} function requires ${min} argument(s).`, 1, 15, 'batch');
}

function result(eval_: (row: Value[]) => Value, type: SqlType, nullable = true): Compiled {
  return { eval: eval_, type, nullable, name: '' };
}

/** Splits 'db.schema.name' / '[schema].[name]' the way OBJECT_ID does. */
export function splitObjectName(text: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:\[((?:[^\]]|\]\])*)\]|"((?:[^"]|"")*)"|([^.\s]*))\s*(\.|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    parts.push(m[1] !== undefined ? m[1].replace(/]]/g, ']') : m[2] !== undefined ? m[2] : m[3]);
    if (m[4] === '' || re.lastIndex >= text.length) break;
  }
  return parts;
}

function objectId(ctx: ExecContext, text: string): number | null {
  const parts = splitObjectName(text);
  let name = parts[parts.length - 1];
  const schema = parts.length >= 2 && parts[parts.length - 2] !== '' ? parts[parts.length - 2] : 'dbo';
  let dbName = parts.length >= 3 ? parts[parts.length - 3] : ctx.session.database;
  if (name.startsWith('#')) {
    dbName = 'tempdb';
    name = tempTableName(name, ctx.session.spid);
  }
  const db = ctx.catalog.database(dbName);
  if (!db) return null;
  const t = db.table(schema, name);
  if (t) return t.objectId;
  for (const table of db.tables.values()) {
    if (table.primaryKey && table.primaryKey.name.toLowerCase() === name.toLowerCase() && table.schema.toLowerCase() === schema.toLowerCase()) return table.primaryKey.objectId;
  }
  return null;
}

/** Scalar built-in functions. Unknown names raise 195 like SQL Server. */
export function callFunction(name: string, args: Compiled[], ctx: ExecContext): Compiled {
  const s = ctx.session;
  switch (name) {
    case 'SCOPE_IDENTITY':
      arity(name, args, 0);
      return result(() => s.scopeIdentity, { name: 'numeric', precision: 38, scale: 0 });
    case 'DB_NAME':
      arity(name, args, 0, 1);
      return result((row) => {
        if (args.length === 0) return ctx.catalog.requireDatabase(s.database).name;
        const id = args[0].eval(row);
        for (const db of ctx.catalog.databases.values()) if (id !== null && compareValues(db.id, id) === 0) return db.name;
        return null;
      }, NVARCHAR128);
    case 'DB_ID':
      arity(name, args, 0, 1);
      return result((row) => ctx.catalog.database(args.length ? String(args[0].eval(row)) : s.database)?.id ?? null, { name: 'smallint' });
    case 'OBJECT_ID':
      arity(name, args, 1, 2);
      return result((row) => {
        const v = args[0].eval(row);
        return v === null ? null : objectId(ctx, String(v));
      }, INT);
    case 'OBJECT_NAME':
      arity(name, args, 1, 2);
      return result((row) => {
        const id = args[0].eval(row);
        for (const db of ctx.catalog.databases.values()) for (const t of db.tables.values()) {
          if (t.objectId === id) return t.name;
          if (t.primaryKey?.objectId === id) return t.primaryKey.name;
        }
        return null;
      }, NVARCHAR128);
    case 'SCHEMA_NAME':
      arity(name, args, 0, 1);
      return result((row) => {
        if (args.length === 0) return 'dbo';
        const id = args[0].eval(row);
        for (const sc of ctx.catalog.requireDatabase(s.database).schemas.values()) if (sc.id === id) return sc.name;
        return null;
      }, NVARCHAR128);
    case 'SCHEMA_ID':
      arity(name, args, 0, 1);
      return result((row) => (args.length === 0 ? 1 : ctx.catalog.requireDatabase(s.database).schema(String(args[0].eval(row)))?.id ?? null), INT);
    case 'USER_NAME': case 'SUSER_SNAME': case 'SUSER_NAME': case 'CURRENT_USER': case 'ORIGINAL_LOGIN':
      return result(() => s.userName, NVARCHAR128, false);
    case 'ISNULL':
      arity(name, args, 2);
      return result((row) => { const v = args[0].eval(row); return v === null ? args[1].eval(row) : v; }, args[0].type, args[1].nullable);
    case 'COALESCE':
      if (args.length < 2) throw new SqlError(189, 'The coalesce function requires 2 to 2147483647 arguments.', 1, 15, 'batch');
      return result((row) => { for (const a of args) { const v = a.eval(row); if (v !== null) return v; } return null; }, args[0].type);
    case 'NULLIF':
      arity(name, args, 2);
      return result((row) => { const a = args[0].eval(row); const b = args[1].eval(row); return a !== null && b !== null && compareValues(a, b) === 0 ? null : a; }, args[0].type);
    case 'GETDATE': case 'CURRENT_TIMESTAMP': case 'GETUTCDATE':
      arity(name, args, 0);
      return result(() => temporalFromDate(name === 'GETUTCDATE' ? new Date() : localNow()), { name: 'datetime' }, false);
    case 'SYSDATETIME': case 'SYSUTCDATETIME':
      arity(name, args, 0);
      return result(() => temporalFromDate(name === 'SYSUTCDATETIME' ? new Date() : localNow()), { name: 'datetime2', scale: 7 }, false);
    case 'SYSDATETIMEOFFSET':
      arity(name, args, 0);
      return result(() => { const t = temporalFromDate(new Date()); return new Temporal(t.days, t.ticks, 0); }, { name: 'datetimeoffset', scale: 7 }, false);
    case 'NEWID':
      arity(name, args, 0);
      return result(() => randomUUID().toUpperCase(), { name: 'uniqueidentifier' }, false);
    case 'LEN':
      arity(name, args, 1);
      return result((row) => { const v = args[0].eval(row); return v === null ? null : String(v).replace(/ +$/, '').length; }, INT);
    case 'DATALENGTH':
      arity(name, args, 1);
      return result((row) => {
        const v = args[0].eval(row);
        if (v === null) return null;
        if (Buffer.isBuffer(v)) return v.length;
        if (typeof v === 'string') return args[0].type.name.startsWith('n') ? v.length * 2 : v.length;
        return String(v).length;
      }, INT);
    case 'UPPER': case 'LOWER': case 'LTRIM': case 'RTRIM': case 'TRIM':
      arity(name, args, 1);
      return result((row) => {
        const v = args[0].eval(row);
        if (v === null) return null;
        const t = String(v);
        return name === 'UPPER' ? t.toUpperCase() : name === 'LOWER' ? t.toLowerCase() : name === 'LTRIM' ? t.replace(/^ +/, '') : name === 'RTRIM' ? t.replace(/ +$/, '') : t.trim();
      }, args[0].type);
    case 'ABS':
      arity(name, args, 1);
      return result((row) => {
        const v = args[0].eval(row);
        if (v === null) return null;
        if (typeof v === 'number') return Math.abs(v);
        if (typeof v === 'bigint') return v < 0n ? -v : v;
        if (v instanceof Decimal) return new Decimal(v.unscaled < 0n ? -v.unscaled : v.unscaled, v.scale);
        throw sqlErrors.typeClash('varchar', 'numeric');
      }, args[0].type);
    case 'SERVERPROPERTY': case 'DATABASEPROPERTYEX': case 'SESSIONPROPERTY': case 'COLUMNPROPERTY': case 'OBJECTPROPERTY':
      throw sqlErrors.notSupported(name);
    default:
      throw sqlErrors.unknownFunction(name);
  }
}

function localNow(): Date {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
}
