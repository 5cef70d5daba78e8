import * as arrow from 'apache-arrow';
import { arrowFieldsForSql, sqlTypeForField } from '../../../src/arrow/arrowTypeMap';
import { RecordBatchBuilder } from '../../../src/arrow/columnAccumulators';
import { readDecimal128, textFromUnscaled, unscaledFromText, writeDecimal128 } from '../../../src/arrow/decimal128';
import { formatSqlType, parseSqlType } from '../../../src/arrow/sqlType';
import { sqlTypeFromTds } from '../../../src/arrow/sqlTypeFromTds';
import { formatSqlDateTime2, formatSqlDateTimeOffset, parseSqlDateTimeText, ticksFromTediousDate } from '../../../src/arrow/temporal';

describe('SQL type text', () => {
  it.each(['decimal(18,2)', 'nvarchar(50)', 'nvarchar(max)', 'datetime2(7)', 'time(3)', 'uniqueidentifier', 'varbinary(max)', 'money'])(
    'round-trips %s',
    (text) => expect(formatSqlType(parseSqlType(text)!)).toBe(text),
  );
  it('refuses what is not a type', () => {
    expect(parseSqlType('int; drop table x')).toBeUndefined();
    expect(parseSqlType('decimal(39,2)')).toBeUndefined();
  });
  it('reads TDS metadata by wire family and length', () => {
    expect(formatSqlType(sqlTypeFromTds({ colName: 'a', type: { name: 'IntN' }, dataLength: 8 })!)).toBe('bigint');
    expect(formatSqlType(sqlTypeFromTds({ colName: 'a', type: { name: 'NVarChar' }, dataLength: 100 })!)).toBe('nvarchar(50)');
    expect(formatSqlType(sqlTypeFromTds({ colName: 'a', type: { name: 'NVarChar' }, dataLength: 0xffff })!)).toBe('nvarchar(max)');
    expect(formatSqlType(sqlTypeFromTds({ colName: 'a', type: { name: 'DecimalN' }, precision: 38, scale: 10 })!)).toBe('decimal(38,10)');
  });
});

describe('Arrow fields', () => {
  it('keep the SQL type in metadata and map back to it', () => {
    for (const text of ['tinyint', 'bigint', 'decimal(38,10)', 'datetime2(7)', 'datetime2(3)', 'time(7)', 'date', 'nvarchar(20)', 'varbinary(16)', 'uniqueidentifier', 'money', 'bit', 'real', 'float']) {
      const [field] = arrowFieldsForSql('c', parseSqlType(text)!, true);
      expect(formatSqlType(sqlTypeForField(field!))).toBe(text);
    }
  });
  it('datetimeoffset gets a sibling offset field', () => {
    const fields = arrowFieldsForSql('at', parseSqlType('datetimeoffset(7)')!, true);
    expect(fields.map((f) => f.name)).toEqual(['at', 'at__offset_minutes']);
    expect(String(fields[0]!.type)).toBe('Timestamp<NANOSECOND, UTC>');
  });
  it('map plain Arrow types sensibly without metadata', () => {
    const t = (type: arrow.DataType) => formatSqlType(sqlTypeForField(new arrow.Field('x', type)));
    expect(t(new arrow.Int64())).toBe('bigint');
    expect(t(new arrow.Utf8())).toBe('nvarchar(max)');
    expect(t(new arrow.TimestampMicrosecond())).toBe('datetime2(6)');
    expect(t(new arrow.TimestampNanosecond())).toBe('datetime2(7)');
    expect(t(new arrow.Decimal(2, 12, 128))).toBe('decimal(12,2)');
    expect(t(new arrow.Bool())).toBe('bit');
  });
  it('ignore metadata that does not fit the Arrow type', () => {
    const field = new arrow.Field('x', new arrow.Utf8(), true, new Map([['hygge.sql_type', 'int']]));
    expect(formatSqlType(sqlTypeForField(field))).toBe('nvarchar(max)');
  });
});

describe('exact values', () => {
  it('decimals survive 38 digits', () => {
    const words = new Uint32Array(8);
    const big = unscaledFromText('-12345678901234567890123456.789012345678', 12);
    writeDecimal128(words, 1, big);
    expect(textFromUnscaled(readDecimal128(words, 1), 12)).toBe('-12345678901234567890123456.789012345678');
    expect(unscaledFromText('1.5', 2)).toBe(150n);
  });
  it('datetime text keeps the 100 ns digit and the offset', () => {
    const p = parseSqlDateTimeText('2024-05-01 10:20:30.1234567 +02:00');
    expect(p.offsetMinutes).toBe(120);
    expect(formatSqlDateTimeOffset(p.ticks, p.offsetMinutes)).toBe('2024-05-01 10:20:30.1234567 +02:00');
    expect(formatSqlDateTime2(parseSqlDateTimeText('0001-01-01 00:00:00.0000001').ticks)).toBe('0001-01-01 00:00:00.0000001');
  });
  it('tedious Dates with nanosecondsDelta give exact ticks', () => {
    const d = new Date(Date.UTC(2024, 0, 1, 0, 0, 0, 123));
    Object.defineProperty(d, 'nanosecondsDelta', { value: 4567 / 1e7 });
    expect(ticksFromTediousDate(d)).toBe(BigInt(d.getTime()) * 10000n + 4567n);
  });
});

describe('RecordBatchBuilder', () => {
  it('builds typed columns with nulls and splits at capacity', () => {
    const b = new RecordBatchBuilder(
      [
        { name: 'id', sqlType: { base: 'bigint' }, nullable: false, asText: false },
        { name: 'name', sqlType: { base: 'nvarchar', length: 10 }, nullable: true, asText: false },
        { name: 'amount', sqlType: { base: 'decimal', precision: 38, scale: 2 }, nullable: true, asText: true },
      ],
      2,
    );
    b.push(['9007199254740993', 'å', '123456789012345678901234567890.12']);
    b.push(['-1', null, null]);
    expect(b.full).toBe(true);
    const batch = b.finish();
    expect(batch.numRows).toBe(2);
    expect(batch.getChild('id')!.get(0)).toBe(9007199254740993n);
    expect(batch.getChild('name')!.get(0)).toBe('å');
    expect(batch.getChild('name')!.get(1)).toBeNull();
    expect(batch.schema.fields[2]!.metadata.get('hygge.sql_type')).toBe('decimal(38,2)');
    const words = batch.getChild('amount')!.data[0]!.values as Uint32Array;
    expect(textFromUnscaled(readDecimal128(words, 0), 2)).toBe('123456789012345678901234567890.12');
  });
});
