/**
 * A SQL Server column type as data: the base name plus length, precision and scale.
 * `formatSqlType` gives the text SQL Server itself prints (`decimal(18,2)`, `nvarchar(max)`),
 * which is also what hygge keeps in Arrow field metadata (`hygge.sql_type`) so a round trip
 * through Parquet recreates the same column.
 */
import { HyggeError } from '../errors';

export const SQL_BASE_TYPES = [
  'tinyint', 'smallint', 'int', 'bigint', 'bit',
  'decimal', 'numeric', 'money', 'smallmoney', 'real', 'float',
  'date', 'time', 'datetime', 'smalldatetime', 'datetime2', 'datetimeoffset',
  'char', 'varchar', 'nchar', 'nvarchar', 'text', 'ntext', 'xml',
  'binary', 'varbinary', 'image', 'uniqueidentifier',
] as const;

export type SqlBaseType = (typeof SQL_BASE_TYPES)[number];

export interface SqlType {
  base: SqlBaseType;
  /** characters (char family) or bytes (binary family); 'max' for (max) */
  length?: number | 'max';
  precision?: number;
  /** decimal/numeric scale, or fractional-second digits for time, datetime2, datetimeoffset */
  scale?: number;
}

/** the Arrow field metadata key holding the original SQL type */
export const SQL_TYPE_METADATA_KEY = 'hygge.sql_type';

const LENGTH_TYPES = new Set<SqlBaseType>(['char', 'varchar', 'nchar', 'nvarchar', 'binary', 'varbinary']);
const SCALE_TYPES = new Set<SqlBaseType>(['time', 'datetime2', 'datetimeoffset']);

export function formatSqlType(t: SqlType): string {
  if (t.base === 'decimal' || t.base === 'numeric') return `${t.base}(${t.precision ?? 18},${t.scale ?? 0})`;
  if (LENGTH_TYPES.has(t.base)) return `${t.base}(${t.length ?? 1})`;
  if (SCALE_TYPES.has(t.base)) return `${t.base}(${t.scale ?? 7})`;
  if (t.base === 'float' && t.precision !== undefined && t.precision <= 24) return 'real';
  return t.base;
}

/** Reads `decimal(18, 2)`, `NVARCHAR(MAX)`, `datetime2` …; undefined when it is not a type hygge knows. */
export function parseSqlType(text: string): SqlType | undefined {
  const m = /^\s*([a-z0-9]+)\s*(?:\(\s*(max|\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/i.exec(text);
  if (!m) return undefined;
  const base = m[1]!.toLowerCase() as SqlBaseType;
  if (!(SQL_BASE_TYPES as readonly string[]).includes(base)) return undefined;
  const first = m[2]?.toLowerCase();
  const second = m[3];
  if (base === 'decimal' || base === 'numeric') {
    if (first === 'max') return undefined;
    const precision = first === undefined ? 18 : Number(first);
    const scale = second === undefined ? 0 : Number(second);
    if (precision < 1 || precision > 38 || scale > precision) return undefined;
    return { base, precision, scale };
  }
  if (LENGTH_TYPES.has(base)) {
    if (second !== undefined) return undefined;
    return { base, length: first === undefined ? 1 : first === 'max' ? 'max' : Number(first) };
  }
  if (SCALE_TYPES.has(base)) {
    if (second !== undefined || first === 'max') return undefined;
    const scale = first === undefined ? 7 : Number(first);
    return scale <= 7 ? { base, scale } : undefined;
  }
  if (base === 'float' && first !== undefined && first !== 'max') {
    return Number(first) <= 24 ? { base: 'real' } : { base: 'float' };
  }
  return first === undefined ? { base } : undefined;
}

export function requireSqlType(text: string): SqlType {
  const t = parseSqlType(text);
  if (!t) {
    throw new HyggeError('SCHEMA_MISMATCH', `"${text}" is not a SQL Server column type hygge can read or write`, {
      hint: `Use one of: ${SQL_BASE_TYPES.join(', ')}.`,
    });
  }
  return t;
}
