/**
 * The SQL Server ↔ Arrow type map (ARCHITECTURE.md §5), both directions.
 *
 * SQL → Arrow: every column becomes a field whose metadata keeps the SQL type text
 * (`hygge.sql_type`), so Parquet → SQL Server recreates the same column.
 * Arrow → SQL: the metadata wins when it fits the Arrow type; otherwise a sensible default.
 *
 * Decisions (documented in the README section of this module's owner):
 * - uniqueidentifier → Utf8, canonical lowercase `xxxxxxxx-xxxx-…` (readable in any Parquet tool).
 * - datetime2(7), time(7), datetimeoffset(7) → nanosecond units (the 100 ns digit survives);
 *   scales 0–6 → microseconds. datetime/smalldatetime → microseconds.
 * - datetimeoffset → Timestamp with timezone "UTC": the exact instant; the per-row offset is
 *   carried in a sibling Int16 field `<name>__offset_minutes` (metadata `hygge.offset_of`) so a round trip
 *   restores it.
 */
import * as arrow from 'apache-arrow';
import { HyggeError } from '../errors';
import { formatSqlType, parseSqlType, SQL_TYPE_METADATA_KEY, type SqlType } from './sqlType';

/** metadata key on the sibling Int16 field that holds a datetimeoffset column's offsets */
export const OFFSET_OF_METADATA_KEY = 'hygge.offset_of';
export const offsetFieldName = (column: string) => `${column}__offset_minutes`;

export function arrowTypeForSql(t: SqlType): arrow.DataType {
  switch (t.base) {
    case 'tinyint': return new arrow.Uint8();
    case 'smallint': return new arrow.Int16();
    case 'int': return new arrow.Int32();
    case 'bigint': return new arrow.Int64();
    case 'bit': return new arrow.Bool();
    case 'decimal': case 'numeric': return new arrow.Decimal(t.scale ?? 0, t.precision ?? 18, 128);
    case 'money': return new arrow.Decimal(4, 19, 128);
    case 'smallmoney': return new arrow.Decimal(4, 10, 128);
    case 'real': return new arrow.Float32();
    case 'float': return new arrow.Float64();
    case 'date': return new arrow.DateDay();
    case 'time': return (t.scale ?? 7) === 7 ? new arrow.TimeNanosecond() : new arrow.TimeMicrosecond();
    case 'datetime': case 'smalldatetime': return new arrow.TimestampMicrosecond();
    case 'datetime2':
      return (t.scale ?? 7) === 7 ? new arrow.TimestampNanosecond() : new arrow.TimestampMicrosecond();
    case 'datetimeoffset':
      return (t.scale ?? 7) === 7 ? new arrow.TimestampNanosecond('UTC') : new arrow.TimestampMicrosecond('UTC');
    case 'char': case 'varchar': case 'nchar': case 'nvarchar': case 'text': case 'ntext': case 'xml':
    case 'uniqueidentifier':
      return new arrow.Utf8();
    case 'binary': case 'varbinary': case 'image':
      return new arrow.Binary();
  }
}

/** The Arrow fields for one SQL column (two for datetimeoffset: the instant and its offset). */
export function arrowFieldsForSql(name: string, t: SqlType, nullable: boolean): arrow.Field[] {
  const field = new arrow.Field(name, arrowTypeForSql(t), nullable, new Map([[SQL_TYPE_METADATA_KEY, formatSqlType(t)]]));
  if (t.base !== 'datetimeoffset') return [field];
  return [field, new arrow.Field(offsetFieldName(name), new arrow.Int16(), nullable, new Map([[OFFSET_OF_METADATA_KEY, name]]))];
}

/** The SQL type for an Arrow field: its `hygge.sql_type` when that fits, else the default for the Arrow type. */
export function sqlTypeForField(field: arrow.Field): SqlType {
  const kept = field.metadata.get(SQL_TYPE_METADATA_KEY);
  const fromMeta = kept === undefined ? undefined : parseSqlType(kept);
  if (fromMeta && fitsArrowType(fromMeta, field.type)) return fromMeta;
  const t = defaultSqlTypeForArrow(field.type);
  if (!t) {
    throw new HyggeError('SCHEMA_MISMATCH', `column "${field.name}" has Arrow type ${String(field.type)}, which has no SQL Server column type`, {
      hint: 'Select or cast that column to a plain type (number, text, date/time, binary) before loading it into SQL Server.',
    });
  }
  return t;
}

/** true when values of this Arrow type are exactly what this SQL type's column holds */
export function fitsArrowType(t: SqlType, type: arrow.DataType): boolean {
  const expected = arrowTypeForSql(t);
  if (expected.typeId !== type.typeId) return false;
  if (arrow.DataType.isInt(expected) && arrow.DataType.isInt(type)) {
    return expected.bitWidth === type.bitWidth && expected.isSigned === type.isSigned;
  }
  if (arrow.DataType.isFloat(expected) && arrow.DataType.isFloat(type)) return expected.precision === type.precision;
  if (arrow.DataType.isDecimal(expected) && arrow.DataType.isDecimal(type)) {
    return expected.scale === type.scale && expected.precision === type.precision && type.bitWidth === 128;
  }
  if (arrow.DataType.isTimestamp(expected) && arrow.DataType.isTimestamp(type)) {
    return expected.unit === type.unit && (expected.timezone == null) === (type.timezone == null);
  }
  if (arrow.DataType.isTime(expected) && arrow.DataType.isTime(type)) return expected.unit === type.unit;
  if (arrow.DataType.isDate(expected) && arrow.DataType.isDate(type)) return expected.unit === type.unit;
  return true;
}

const FRACTION_DIGITS: Record<number, number> = {
  [arrow.TimeUnit.SECOND]: 0,
  [arrow.TimeUnit.MILLISECOND]: 3,
  [arrow.TimeUnit.MICROSECOND]: 6,
  [arrow.TimeUnit.NANOSECOND]: 7,
};

export function defaultSqlTypeForArrow(type: arrow.DataType): SqlType | undefined {
  if (arrow.DataType.isInt(type)) {
    if (type.isSigned) {
      return type.bitWidth <= 16 ? { base: 'smallint' } : type.bitWidth === 32 ? { base: 'int' } : { base: 'bigint' };
    }
    return type.bitWidth === 8 ? { base: 'tinyint' } : type.bitWidth === 16 ? { base: 'int' }
      : type.bitWidth === 32 ? { base: 'bigint' } : { base: 'decimal', precision: 20, scale: 0 };
  }
  if (arrow.DataType.isBool(type)) return { base: 'bit' };
  if (arrow.DataType.isFloat(type)) return type.precision === arrow.Precision.DOUBLE ? { base: 'float' } : { base: 'real' };
  if (arrow.DataType.isDecimal(type)) {
    return type.precision <= 38 && type.bitWidth === 128 ? { base: 'decimal', precision: type.precision, scale: type.scale } : undefined;
  }
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) return { base: 'nvarchar', length: 'max' };
  if (arrow.DataType.isDictionary(type) && (arrow.DataType.isUtf8(type.dictionary) || arrow.DataType.isLargeUtf8(type.dictionary))) {
    return { base: 'nvarchar', length: 'max' };
  }
  if (arrow.DataType.isBinary(type) || arrow.DataType.isLargeBinary(type)) return { base: 'varbinary', length: 'max' };
  if (arrow.DataType.isFixedSizeBinary(type)) return type.byteWidth <= 8000 ? { base: 'binary', length: type.byteWidth } : undefined;
  if (arrow.DataType.isDate(type)) return { base: 'date' };
  if (arrow.DataType.isTime(type)) return { base: 'time', scale: FRACTION_DIGITS[type.unit] };
  if (arrow.DataType.isTimestamp(type)) {
    return { base: type.timezone ? 'datetimeoffset' : 'datetime2', scale: FRACTION_DIGITS[type.unit] };
  }
  return undefined;
}
