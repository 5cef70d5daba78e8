/**
 * The SQL type of a result column, from the COLMETADATA tedious reports. TDS sends variable
 * types by family (IntN with a length, DateTimeN, MoneyN, FloatN), so the length picks the
 * exact SQL type back; character lengths arrive in bytes.
 */
import type { SqlType } from './sqlType';

/** the part of tedious's ColumnMetadata this needs (kept structural so tests can build one) */
export interface TdsColumnMetadata {
  colName: string;
  type: { name: string };
  precision?: number;
  scale?: number;
  dataLength?: number;
  flags?: number;
}

const MAX_LENGTH = 0xffff;

export function sqlTypeFromTds(meta: TdsColumnMetadata): SqlType | undefined {
  const len = meta.dataLength;
  switch (meta.type.name) {
    case 'TinyInt': return { base: 'tinyint' };
    case 'SmallInt': return { base: 'smallint' };
    case 'Int': return { base: 'int' };
    case 'BigInt': return { base: 'bigint' };
    case 'IntN':
      return len === 1 ? { base: 'tinyint' } : len === 2 ? { base: 'smallint' } : len === 8 ? { base: 'bigint' } : { base: 'int' };
    case 'Bit': case 'BitN': return { base: 'bit' };
    case 'Real': return { base: 'real' };
    case 'Float': return { base: 'float' };
    case 'FloatN': return len === 4 ? { base: 'real' } : { base: 'float' };
    case 'Money': return { base: 'money' };
    case 'SmallMoney': return { base: 'smallmoney' };
    case 'MoneyN': return len === 4 ? { base: 'smallmoney' } : { base: 'money' };
    case 'Decimal': case 'DecimalN':
      return { base: 'decimal', precision: meta.precision ?? 18, scale: meta.scale ?? 0 };
    case 'Numeric': case 'NumericN':
      return { base: 'numeric', precision: meta.precision ?? 18, scale: meta.scale ?? 0 };
    case 'Date': return { base: 'date' };
    case 'Time': return { base: 'time', scale: meta.scale ?? 7 };
    case 'DateTime': return { base: 'datetime' };
    case 'SmallDateTime': return { base: 'smalldatetime' };
    case 'DateTimeN': return len === 4 ? { base: 'smalldatetime' } : { base: 'datetime' };
    case 'DateTime2': return { base: 'datetime2', scale: meta.scale ?? 7 };
    case 'DateTimeOffset': return { base: 'datetimeoffset', scale: meta.scale ?? 7 };
    case 'Char': return { base: 'char', length: len ?? 1 };
    case 'VarChar': return { base: 'varchar', length: len === MAX_LENGTH ? 'max' : len ?? 1 };
    case 'NChar': return { base: 'nchar', length: (len ?? 2) / 2 };
    case 'NVarChar': return { base: 'nvarchar', length: len === MAX_LENGTH ? 'max' : (len ?? 2) / 2 };
    case 'Text': return { base: 'text' };
    case 'NText': return { base: 'ntext' };
    case 'Xml': return { base: 'xml' };
    case 'Binary': return { base: 'binary', length: len ?? 1 };
    case 'VarBinary': return { base: 'varbinary', length: len === MAX_LENGTH ? 'max' : len ?? 1 };
    case 'Image': return { base: 'image' };
    case 'UniqueIdentifier': return { base: 'uniqueidentifier' };
    default: return undefined;
  }
}

/** TDS COLMETADATA flag bit 0: the column is nullable */
export function isNullableColumn(meta: TdsColumnMetadata): boolean {
  return meta.flags === undefined ? true : (meta.flags & 0x1) === 0x1;
}
