/**
 * Every data type round-trips through the real drivers: inserted by parameters (tedious
 * execSql, mssql inputs) and by bulk load (tedious execBulkLoad, mssql table.bulk), read
 * back through tedious, with boundary values and NULL in every type.
 */
import sql from 'mssql';
import type { Connection } from 'tedious';
import { openSqlTarget, sqlTargetKinds, type SqlTarget } from '../../support/sqlTarget';
import { bulkLoad, close, connect, query, TYPES, type Row } from './tedious-helpers';

type TediousType = (typeof TYPES)[keyof typeof TYPES];

interface Case {
  decl: string;
  tedious: TediousType;
  options?: { length?: number; precision?: number; scale?: number };
  mssql: sql.ISqlType | (() => sql.ISqlType) | sql.ISqlTypeFactory;
  values: unknown[];
  /** What tedious reads back for an inserted value (default: the value itself). */
  expected?: (v: unknown) => unknown;
}

const withNanos = (iso: string, nanos: number) => Object.assign(new Date(iso), { nanosecondDelta: nanos });
const bigString = (n: number, unit: string) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
const oneMb = Buffer.alloc(1024 * 1024, 0).map((_, i) => (i * 31) & 0xff);

const cases: Case[] = [
  { decl: 'tinyint', tedious: TYPES.TinyInt, mssql: sql.TinyInt, values: [0, 255, 7] },
  { decl: 'smallint', tedious: TYPES.SmallInt, mssql: sql.SmallInt, values: [-32768, 32767] },
  { decl: 'int', tedious: TYPES.Int, mssql: sql.Int, values: [-2147483648, 2147483647, 0] },
  { decl: 'bigint', tedious: TYPES.BigInt, mssql: sql.BigInt, values: ['-9223372036854775808', '9223372036854775807', '42'] },
  { decl: 'bit', tedious: TYPES.Bit, mssql: sql.Bit, values: [true, false] },
  { decl: 'decimal(18,4)', tedious: TYPES.Decimal, options: { precision: 18, scale: 4 }, mssql: sql.Decimal(18, 4), values: [12345.6789, -0.0001, 9999999999.9999] },
  { decl: 'numeric(38,0)', tedious: TYPES.Numeric, options: { precision: 38, scale: 0 }, mssql: sql.Numeric(38, 0), values: [1e18, -123456789012345] },
  { decl: 'decimal(5,5)', tedious: TYPES.Decimal, options: { precision: 5, scale: 5 }, mssql: sql.Decimal(5, 5), values: [0.12345, -0.99999] },
  { decl: 'money', tedious: TYPES.Money, mssql: sql.Money, values: [123.4567, -922337203685.4775] },
  { decl: 'smallmoney', tedious: TYPES.SmallMoney, mssql: sql.SmallMoney, values: [-214748.3648, 214748.3647] },
  { decl: 'real', tedious: TYPES.Real, mssql: sql.Real, values: [1.5, -3.25, 3.4028234663852886e38] },
  { decl: 'float', tedious: TYPES.Float, mssql: sql.Float, values: [Math.PI, -1e308, 5e-324] },
  { decl: 'date', tedious: TYPES.Date, mssql: sql.Date, values: [new Date('0001-01-01T00:00:00Z'), new Date('9999-12-31T00:00:00Z'), new Date('2024-02-29T00:00:00Z')] },
  {
    decl: 'time(7)', tedious: TYPES.Time, options: { scale: 7 }, mssql: sql.Time(7),
    values: [withNanos('1970-01-01T23:59:59.999Z', 0.0009999), withNanos('1970-01-01T00:00:00.000Z', 0)],
  },
  { decl: 'time(0)', tedious: TYPES.Time, options: { scale: 0 }, mssql: sql.Time(0), values: [new Date('1970-01-01T12:34:56Z')] },
  {
    decl: 'datetime2(7)', tedious: TYPES.DateTime2, options: { scale: 7 }, mssql: sql.DateTime2(7),
    values: [withNanos('9999-12-31T23:59:59.999Z', 0.0009999), withNanos('0001-01-01T00:00:00.000Z', 0.0000001), withNanos('2024-05-06T07:08:09.123Z', 0.0004567)],
  },
  { decl: 'datetime2(3)', tedious: TYPES.DateTime2, options: { scale: 3 }, mssql: sql.DateTime2(3), values: [new Date('2024-05-06T07:08:09.123Z')] },
  { decl: 'datetimeoffset(7)', tedious: TYPES.DateTimeOffset, options: { scale: 7 }, mssql: sql.DateTimeOffset(7), values: [withNanos('2024-05-06T07:08:09.123Z', 0.0004567), new Date('0001-01-02T00:00:00Z')] },
  { decl: 'datetime', tedious: TYPES.DateTime, mssql: sql.DateTime, values: [new Date('1753-01-01T00:00:00Z'), new Date('9999-12-31T23:59:59.997Z'), new Date('2024-02-29T12:34:56.007Z')] },
  { decl: 'smalldatetime', tedious: TYPES.SmallDateTime, mssql: sql.SmallDateTime, values: [new Date('1900-01-01T00:00:00Z'), new Date('2079-06-06T23:59:00Z')] },
  { decl: 'char(10)', tedious: TYPES.Char, options: { length: 10 }, mssql: sql.Char(10), values: ['abc', 'ten chars!'], expected: (v) => String(v).padEnd(10, ' ') },
  { decl: 'varchar(50)', tedious: TYPES.VarChar, options: { length: 50 }, mssql: sql.VarChar(50), values: ['héllo wörld', '', 'x'] },
  { decl: 'nchar(4)', tedious: TYPES.NChar, options: { length: 4 }, mssql: sql.NChar(4), values: ['😀', 'abcd'], expected: (v) => String(v).padEnd(4, ' ') },
  { decl: 'nvarchar(100)', tedious: TYPES.NVarChar, options: { length: 100 }, mssql: sql.NVarChar(100), values: ['😀 unicode ✓ 𝄞', '', 'Ω'] },
  { decl: 'nvarchar(max)', tedious: TYPES.NVarChar, options: { length: Infinity }, mssql: sql.NVarChar(sql.MAX), values: [bigString(100_000, 'abc😀ü'), '', 'short'] },
  { decl: 'varchar(max)', tedious: TYPES.VarChar, options: { length: Infinity }, mssql: sql.VarChar(sql.MAX), values: [bigString(100_000, 'xyzé'), ''] },
  { decl: 'binary(4)', tedious: TYPES.Binary, options: { length: 4 }, mssql: (sql.Binary as unknown as (n: number) => sql.ISqlType)(4), values: [Buffer.from([1, 2, 3, 4]), Buffer.from([0xff, 0, 0, 0])] },
  { decl: 'varbinary(100)', tedious: TYPES.VarBinary, options: { length: 100 }, mssql: sql.VarBinary(100), values: [Buffer.from('deadbeef', 'hex'), Buffer.alloc(0)] },
  { decl: 'varbinary(max)', tedious: TYPES.VarBinary, options: { length: Infinity }, mssql: sql.VarBinary(sql.MAX), values: [oneMb, Buffer.from([0])] },
  { decl: 'uniqueidentifier', tedious: TYPES.UniqueIdentifier, mssql: sql.UniqueIdentifier, values: ['6F9619FF-8B86-D011-B42D-00C04FC964FF', '00000000-0000-0000-0000-000000000001'] },
];

function normalize(v: unknown): unknown {
  if (v instanceof Date) return { t: v.getTime(), ns: (v as Date & { nanosecondsDelta?: number; nanosecondDelta?: number }).nanosecondsDelta ?? (v as { nanosecondDelta?: number }).nanosecondDelta ?? 0 };
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (typeof v === 'number') return Number(v.toPrecision(15));
  return v;
}

const expectSame = (actual: unknown, expected: unknown) => {
  const a = normalize(actual) as { ns?: number };
  const e = normalize(expected) as { ns?: number };
  if (a && typeof a === 'object' && 'ns' in a) {
    expect({ ...a, ns: Math.round((a.ns ?? 0) * 1e7) }).toEqual({ ...e, ns: Math.round((e.ns ?? 0) * 1e7) });
  } else expect(a).toEqual(e);
};

describe.each(sqlTargetKinds())('data types on %s', (kind) => {
  let target: SqlTarget;
  let conn: Connection;
  let pool: sql.ConnectionPool;

  beforeAll(async () => {
    target = await openSqlTarget(kind);
    conn = await connect(target.tediousConfig());
    pool = await new sql.ConnectionPool(target.mssqlConfig()).connect();
  });
  afterAll(async () => {
    await close(conn);
    await pool.close();
    await target.close();
  });

  describe.each(cases.map((c) => [c.decl, c] as const))('%s', (_decl, c) => {
    const table = () => target.uniqueName(`t_${c.decl.replace(/\W+/g, '_')}`);
    const values = [...c.values, null];
    const expected = (v: unknown) => (v === null ? null : c.expected ? c.expected(v) : v);

    async function readBack(name: string): Promise<Row[]> {
      return query(conn, `SELECT id, v FROM ${name} ORDER BY id`);
    }

    it('round-trips through tedious parameters', async () => {
      const name = table();
      await query(conn, `CREATE TABLE ${name} (id int NOT NULL PRIMARY KEY, v ${c.decl} NULL)`);
      for (const [i, v] of values.entries()) {
        await query(conn, `INSERT INTO ${name} (id, v) VALUES (@id, @v)`, [
          { name: 'id', type: TYPES.Int, value: i },
          { name: 'v', type: c.tedious, value: v, options: c.options },
        ]);
      }
      const rows = await readBack(name);
      expect(rows.map((r) => r.id)).toEqual(values.map((_, i) => i));
      rows.forEach((r, i) => expectSame(r.v, expected(values[i])));
      // and the value compares equal to itself as a parameter on the server
      const hits = await query(conn, `SELECT COUNT(*) AS n FROM ${name} WHERE v = @v`, [{ name: 'v', type: c.tedious, value: values[0], options: c.options }]);
      expect(hits[0].n).toBeGreaterThanOrEqual(1);
    });

    it('round-trips through a tedious bulk load', async () => {
      const name = table();
      await query(conn, `CREATE TABLE ${name} (id int NOT NULL PRIMARY KEY, v ${c.decl} NULL)`);
      const count = await bulkLoad(conn, name, [
        { name: 'id', type: TYPES.Int, options: { nullable: false } },
        { name: 'v', type: c.tedious, options: { nullable: true, ...c.options } },
      ], values.map((v, i) => [i, v]), { keepNulls: true });
      expect(count).toBe(values.length);
      const rows = await readBack(name);
      rows.forEach((r, i) => expectSame(r.v, expected(values[i])));
    });

    it('round-trips through mssql inputs and table.bulk', async () => {
      const name = table();
      await pool.request().query(`CREATE TABLE ${name} (id int NOT NULL PRIMARY KEY, v ${c.decl} NULL)`);
      for (const [i, v] of values.entries()) {
        await pool.request().input('id', sql.Int, i).input('v', c.mssql as sql.ISqlType, v).query(`INSERT INTO ${name} (id, v) VALUES (@id, @v)`);
      }
      const bulk = new sql.Table(name);
      bulk.create = false;
      bulk.columns.add('id', sql.Int, { nullable: false });
      bulk.columns.add('v', c.mssql as sql.ISqlType, { nullable: true });
      values.forEach((v, i) => bulk.rows.add(100 + i, v as never));
      const result = await pool.request().bulk(bulk);
      expect(result.rowsAffected).toBe(values.length);
      const read = await pool.request().query(`SELECT id, v FROM ${name} ORDER BY id`);
      expect(read.recordset).toHaveLength(values.length * 2);
      read.recordset.forEach((r: Row, i: number) => expectSame(r.v, expected(values[i % values.length])));
    });
  });

  it('keeps decimal extremes exact (38,0) and (38,38)', async () => {
    const name = target.uniqueName('t_dec_extremes');
    await query(conn, `CREATE TABLE ${name} (id int PRIMARY KEY, a decimal(38,0), b decimal(38,38))`);
    await query(conn, `INSERT INTO ${name} VALUES (1, 99999999999999999999999999999999999999, 0.99999999999999999999999999999999999999),
      (2, -99999999999999999999999999999999999999, -0.99999999999999999999999999999999999999), (3, 1, 0.00000000000000000000000000000000000001)`);
    const exact = await query(conn, `SELECT COUNT(*) AS n FROM ${name} WHERE a = 99999999999999999999999999999999999999 AND b = 0.99999999999999999999999999999999999999`);
    expect(exact[0].n).toBe(1);
    const off = await query(conn, `SELECT COUNT(*) AS n FROM ${name} WHERE a = 99999999999999999999999999999999999998`);
    expect(off[0].n).toBe(0);
    const tiny = await query(conn, `SELECT COUNT(*) AS n FROM ${name} WHERE b = 0.00000000000000000000000000000000000001`);
    expect(tiny[0].n).toBe(1);
    const rows = await query(conn, `SELECT a, b FROM ${name} ORDER BY id`);
    expect(rows[0].a).toBe(1e38);
    expect(rows[1].b).toBe(-1);
    if (target.standIn) {
      const stored = target.standIn.catalog.rows(name).map((r) => String(r[1]));
      expect(stored).toContain('99999999999999999999999999999999999999');
      expect(stored).toContain('-99999999999999999999999999999999999999');
    }
  });

  it('keeps datetimeoffset offsets (+14:00 / -12:00) and datetime2(7) ticks exact', async () => {
    const name = target.uniqueName('t_dto');
    await query(conn, `CREATE TABLE ${name} (id int PRIMARY KEY, v datetimeoffset(7), w datetime2(7))`);
    await query(conn, `INSERT INTO ${name} VALUES (1, '2024-01-01 10:00:00.1234567 +14:00', '2024-01-01 00:00:00.0000001'),
      (2, '2024-01-01 10:00:00.1234567 -12:00', '9999-12-31 23:59:59.9999999')`);
    const rows = await query(conn, `SELECT v, w, CAST(v AS nvarchar(40)) AS text FROM ${name} ORDER BY id`);
    expect((rows[0].v as Date).toISOString()).toBe('2023-12-31T20:00:00.123Z');
    expect((rows[1].v as Date).toISOString()).toBe('2024-01-01T22:00:00.123Z');
    expect(Math.round(((rows[0].v as Date & { nanosecondsDelta: number }).nanosecondsDelta) * 1e7)).toBe(4567);
    expect(Math.round(((rows[0].w as Date & { nanosecondsDelta: number }).nanosecondsDelta) * 1e7)).toBe(1);
    expect(Math.round(((rows[1].w as Date & { nanosecondsDelta: number }).nanosecondsDelta) * 1e7)).toBe(9999);
    expect(rows[0].text).toBe('2024-01-01 10:00:00.1234567 +14:00');
    expect(rows[1].text).toBe('2024-01-01 10:00:00.1234567 -12:00');
    const same = await query(conn, `SELECT COUNT(*) AS n FROM ${name} WHERE v = '2024-01-01 10:00:00.1234567 +14:00'`);
    expect(same[0].n).toBe(1);
  });

  it('pads char/binary literals to the column length', async () => {
    const name = target.uniqueName('t_pad');
    await query(conn, `CREATE TABLE ${name} (b binary(4) NULL, c char(5) NULL, n nchar(3) NULL)`);
    await query(conn, `INSERT INTO ${name} VALUES (0xFF, 'ab', N'x')`);
    const rows = await query(conn, `SELECT b, c, n FROM ${name}`);
    expect((rows[0].b as Buffer).toString('hex')).toBe('ff000000');
    expect(rows[0].c).toBe('ab   ');
    expect(rows[0].n).toBe('x  ');
  });

  it('reads a wide row of NULLs (NBCROW on the stand-in) and mixed rows', async () => {
    const name = target.uniqueName('t_wide');
    const cols = Array.from({ length: 20 }, (_, i) => `c${i} nvarchar(10) NULL`).join(', ');
    await query(conn, `CREATE TABLE ${name} (id int PRIMARY KEY, ${cols})`);
    await query(conn, `INSERT INTO ${name} (id, c3) VALUES (1, N'x')`);
    await query(conn, `INSERT INTO ${name} (id, c0, c19) VALUES (2, N'a', N'z')`);
    const rows = await query(conn, `SELECT * FROM ${name} ORDER BY id`);
    expect(rows[0].c3).toBe('x');
    expect(rows[0].c0).toBeNull();
    expect(rows[1].c0).toBe('a');
    expect(rows[1].c19).toBe('z');
    expect(rows[1].c5).toBeNull();
  });
});
