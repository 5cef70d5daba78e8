/**
 * One batch holding every SQL Server type of the type map (ARCHITECTURE.md §5), as hygge's
 * SQL home would produce it: Arrow types and `hygge.sql_type` metadata from arrowFieldsForSql,
 * edge values per type and a row of nulls. Values are built from raw integers (ticks, unscaled
 * decimals) so nothing passes through a lossy JS Date or number.
 */
import * as A from 'apache-arrow';
import { arrowFieldsForSql } from '../../../src/arrow/arrowTypeMap';
import { requireSqlType } from '../../../src/arrow/sqlType';

const ROWS = 3; // two rows of values, one of nulls

type Values = ArrayLike<unknown> & { length: number };

function dataFor(type: A.DataType, values: unknown[]): A.Data {
  const valid = values.map((v) => v !== null);
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  valid.forEach((ok, i) => ok && (nullBitmap[i >> 3]! |= 1 << (i & 7)));
  const nullCount = valid.filter((v) => !v).length;
  const filled = <T>(dflt: T) => values.map((v) => (v === null ? dflt : v));
  if (A.DataType.isDecimal(type)) {
    const words = new Uint32Array(values.length * 4);
    filled(0n).forEach((v, i) => {
      const u = BigInt.asUintN(128, v as bigint);
      for (let w = 0; w < 4; w++) words[i * 4 + w] = Number((u >> BigInt(32 * w)) & 0xffffffffn);
    });
    return A.makeData({ type, length: values.length, nullCount, nullBitmap, data: words });
  }
  const typed = (ctor: { from(v: Values): ArrayLike<unknown> }, dflt: unknown) =>
    A.makeData({ type: type as never, length: values.length, nullCount, nullBitmap, data: ctor.from(filled(dflt) as Values) as never });
  if (A.DataType.isTimestamp(type) || A.DataType.isTime(type)) return typed(BigInt64Array, 0n);
  if (A.DataType.isDate(type)) return typed(Int32Array, 0);
  if (A.DataType.isInt(type)) {
    const ctor = { 8: type.isSigned ? Int8Array : Uint8Array, 16: Int16Array, 32: Int32Array, 64: BigInt64Array }[type.bitWidth];
    return typed(ctor as never, type.bitWidth === 64 ? 0n : 0);
  }
  if (A.DataType.isFloat(type)) return typed(type.precision === A.Precision.SINGLE ? Float32Array : Float64Array, 0);
  const builder = A.makeBuilder({ type, nullValues: [null] });
  for (const v of values) builder.append(v as never);
  return builder.finish().flush();
}

const day = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
/** 100 ns ticks of an ISO instant with up to 7 fractional digits, as ns or µs */
function instant(iso: string, unit: 'ns' | 'us'): bigint {
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(iso)!;
  const seconds = BigInt(Date.parse(`${m[1]}${m[3]}`) / 1000);
  const fraction = BigInt((m[2] ?? '').padEnd(9, '0'));
  const ns = seconds * 1_000_000_000n + fraction;
  return unit === 'ns' ? ns : ns / 1000n;
}
const timeOfDay = (hms: string, unit: 'ns' | 'us') => instant(`1970-01-01T${hms}Z`, unit);
/** years before 1000 and after 9999 are not ISO-parseable by Date.parse with 4 digits: build by hand */
function farInstant(year: number, monthDayTime: string, unit: 'ns' | 'us'): bigint {
  const d = new Date(`2000-${monthDayTime}Z`);
  d.setUTCFullYear(year);
  const ns = BigInt(d.getTime()) * 1_000_000n;
  return unit === 'ns' ? ns : ns / 1000n;
}

/** [sql type, values (2 rows)] per column; the third row is all nulls */
export const ALL_TYPES: [string, string, unknown[]][] = [
  ['c_tinyint', 'tinyint', [0, 255]],
  ['c_smallint', 'smallint', [-32768, 32767]],
  ['c_int', 'int', [-2147483648, 2147483647]],
  ['c_bigint', 'bigint', [-9223372036854775808n, 9223372036854775807n]],
  ['c_bit', 'bit', [true, false]],
  ['c_decimal_9_2', 'decimal(9,2)', [123456789n, -1n]],
  ['c_decimal_38_10', 'decimal(38,10)', [12345678901234567890123456789012345678n, -99999999999999999999999999999999999999n]],
  ['c_numeric_18_4', 'numeric(18,4)', [999999999999999999n, -12345n]],
  ['c_money', 'money', [9223372036854775807n, -9223372036854775808n]],
  ['c_smallmoney', 'smallmoney', [2147483647n, -2147483648n]],
  ['c_real', 'real', [1.5, -3.25]],
  ['c_float', 'float', [Math.PI, -1e300]],
  ['c_date', 'date', [day('2024-02-29'), day('9999-12-31')]],
  ['c_time7', 'time(7)', [timeOfDay('23:59:59.9999999', 'ns'), 0n]],
  ['c_time3', 'time(3)', [timeOfDay('12:34:56.789', 'us'), timeOfDay('00:00:00.001', 'us')]],
  ['c_datetime', 'datetime', [instant('2024-02-29T12:34:56.010Z', 'us'), instant('1753-01-01T00:00:00Z', 'us')]],
  ['c_smalldatetime', 'smalldatetime', [instant('2079-06-06T23:59:00Z', 'us'), instant('1900-01-01T00:00:00Z', 'us')]],
  // datetime2(7) as nanosecond timestamps spans 1677–2262 (int64 ns)
  ['c_datetime2_7', 'datetime2(7)', [instant('2024-02-29T12:34:56.1234567Z', 'ns'), instant('1700-01-01T00:00:00.0000001Z', 'ns')]],
  ['c_datetime2_3', 'datetime2(3)', [farInstant(1, '01-01T00:00:00.000', 'us'), instant('9999-12-31T23:59:59.999Z', 'us')]],
  ['c_datetimeoffset', 'datetimeoffset(7)', [instant('2024-02-29T12:34:56.1234567+05:30', 'ns'), instant('2000-01-01T00:00:00.0000001-08:00', 'ns')]],
  ['c_char', 'char(10)', ['abcdefghij', 'x         ']],
  ['c_varchar', 'varchar(50)', ['héllo wörld', '']],
  ['c_varchar_max', 'varchar(max)', ['a'.repeat(10_000), 'b']],
  ['c_nchar', 'nchar(5)', ['søste', 'ab   ']],
  ['c_nvarchar', 'nvarchar(100)', ['søster 😀', '']],
  ['c_nvarchar_max', 'nvarchar(max)', ['x'.repeat(5_000) + '😀', 'ünï']],
  ['c_binary', 'binary(4)', [new Uint8Array([0, 1, 2, 255]), new Uint8Array([9, 9, 9, 9])]],
  ['c_varbinary', 'varbinary(20)', [new Uint8Array([1, 2, 3]), new Uint8Array([])]],
  ['c_varbinary_max', 'varbinary(max)', [new Uint8Array(10_000).map((_, i) => i % 251), new Uint8Array([7])]],
  ['c_uniqueidentifier', 'uniqueidentifier', ['6f9619ff-8b86-d011-b42d-00c04fc964ff', '00000000-0000-0000-0000-000000000001']],
];

/** offsets (minutes) of the datetimeoffset column's two rows, carried in its sibling field */
const OFFSETS = [330, -480];

export function allTypesBatch(): A.RecordBatch {
  const fields: A.Field[] = [];
  const children: A.Data[] = [];
  // an id first, so rows can be put back in order after the trip
  fields.push(...arrowFieldsForSql('id', requireSqlType('int'), false));
  children.push(dataFor(new A.Int32(), [1, 2, 3]));
  for (const [name, sqlType, values] of ALL_TYPES) {
    const [field, offsetField] = arrowFieldsForSql(name, requireSqlType(sqlType), true);
    fields.push(field!);
    children.push(dataFor(field!.type, [...values, null]));
    if (offsetField) {
      fields.push(offsetField);
      children.push(dataFor(offsetField.type, [...OFFSETS, null]));
    }
  }
  const schema = new A.Schema(fields);
  return new A.RecordBatch(schema, A.makeData({ type: new A.Struct(fields), length: ROWS, nullCount: 0, children }));
}
