/**
 * The round trip ParquetHome → MssqlStore → MssqlHome → ParquetStore, through the real driver:
 * two flows of a temp project run by runPlanLocally. The Parquet that comes out has the same
 * schema (names, Arrow types, `hygge.sql_type` metadata), row count and every value as the
 * Parquet that went in, for every type in the map; the SQL table has the exact SQL types.
 */
import * as A from 'apache-arrow';
import sql from 'mssql';
import { formatSqlType, SQL_TYPE_METADATA_KEY, type SqlType } from '../../../src/arrow/sqlType';
import { openSqlTarget, sqlTargetKinds, type SqlTarget } from '../../support/sqlTarget';
import { fastReadable } from '../../../src/homes/mssql/tds/cellReaders';
import { requireSqlType } from '../../../src/arrow/sqlType';
import { ALL_TYPES, allTypesBatch } from './allTypes';
import { connectionYaml, expectSucceeded, sqlProject, type SqlProject } from './sqlProject';

describe.each(sqlTargetKinds())('round trip through SQL Server (%s)', (kind) => {
  let target: SqlTarget;
  let project: SqlProject;
  let entity: string;

  beforeAll(async () => {
    target = await openSqlTarget(kind);
    entity = target.uniqueName('all_types');
    project = sqlProject({ connections: connectionYaml(target) });
    project.flow('load', [
      'home:', '  type: parquet', '  path: data/{entity}.parquet',
      'store:', '  type: mssql', '  connection: db', '  table: dbo.{entity}', '  write: replace',
      'entities:', `  - ${entity}`, ''].join('\n'));
    project.flow('extract', [
      'home:', '  type: mssql', '  connection: db', '  table: dbo.{entity}',
      'store:', '  type: parquet', '  path: out',
      'entities:', `  - ${entity}`, ''].join('\n'));
    // every column but the max ones: the whole result is read by hygge's TDS row decoder
    project.flow('extract_decoded', [
      'home:', '  type: mssql', '  connection: db', '  table: dbo.{entity}',
      `  columns: [${['id', ...DECODED.map(([name]) => name)].join(', ')}]`,
      'store:', '  type: parquet', '  path: out_decoded',
      'entities:', `  - ${entity}`, ''].join('\n'));
  });
  afterAll(async () => {
    project?.remove();
    await target?.close();
  });

  it('keeps schema, row count and every value for every type in the map', async () => {
    const source = allTypesBatch();
    await project.writeParquet(`data/${entity}.parquet`, [source]);

    expectSucceeded(await project.run({ flows: ['load'] }));
    // the table was created with the exact SQL types the metadata names
    expect(await declaredTypes(target, entity)).toEqual([['id', 'int'], ...ALL_TYPES.map(([name, type]) => [name, type])]);
    expectSucceeded(await project.run({ flows: ['extract'] }));

    const back = await project.readParquet(`out/${entity}`);
    expect(back.rows).toHaveLength(source.numRows);
    const describe = (s: typeof source.schema) => s.fields.map((f) => `${f.name} ${String(f.type)} ${f.metadata.get(SQL_TYPE_METADATA_KEY) ?? ''}`);
    expect(describe(back.schema)).toEqual(describe(source.schema));
    // column by column (so a failure names the type), raw storage values: no lossy JS numbers
    const expected = exactCells(new A.Table([source]));
    const actual = exactCells(new A.Table(back.batches));
    for (const field of source.schema.fields) expect({ [field.name]: actual[field.name] }).toEqual({ [field.name]: expected[field.name] });
  });

  it('reads every non-max type exactly through the TDS row decoder (ROW and NBCROW, every NULL)', async () => {
    const source = allTypesBatch();
    await project.writeParquet(`data/${entity}.parquet`, [source]);
    expectSucceeded(await project.run({ flows: ['load'] }));
    expectSucceeded(await project.run({ flows: ['extract_decoded'] }));

    const back = await project.readParquet(`out_decoded/${entity}`);
    expect(back.rows).toHaveLength(source.numRows);
    const kept = new Set(['id', ...DECODED.map(([name]) => name)]);
    const fields = source.schema.fields.filter((f) => kept.has(f.name) || kept.has(f.name.replace(/__offset_minutes$/, '')));
    const describe = (fs: A.Field[]) => fs.map((f) => `${f.name} ${String(f.type)} ${f.metadata.get(SQL_TYPE_METADATA_KEY) ?? ''}`);
    expect(describe(back.schema.fields)).toEqual(describe(fields));
    const expected = exactCells(new A.Table([source]));
    const actual = exactCells(new A.Table(back.batches));
    for (const field of fields) expect({ [field.name]: actual[field.name] }).toEqual({ [field.name]: expected[field.name] });
  });
});

/** the columns of ALL_TYPES that hygge's row decoder reads (all but max types) */
const DECODED = ALL_TYPES.filter(([, type]) => fastReadable(requireSqlType(type)));
it('the row decoder covers all but the max types of the map', () => {
  expect(ALL_TYPES.filter(([, type]) => !fastReadable(requireSqlType(type))).map(([, type]) => type)).toEqual(['varchar(max)', 'nvarchar(max)', 'varbinary(max)']);
});

/** [column, SQL type text] of a table, from INFORMATION_SCHEMA, formatted as hygge formats types */
async function declaredTypes(target: SqlTarget, table: string): Promise<[string, string][]> {
  const pool = await new sql.ConnectionPool(target.mssqlConfig()).connect();
  try {
    const result = await pool
      .request()
      .input('t', sql.NVarChar, table)
      .query(
        'SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION ' +
          'FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = N\'dbo\' AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION',
      );
    return result.recordset.map((c: Record<string, unknown>) => {
      const base = String(c.DATA_TYPE) as SqlType['base'];
      const length = c.CHARACTER_MAXIMUM_LENGTH === -1 ? 'max' : (c.CHARACTER_MAXIMUM_LENGTH as number | null) ?? undefined;
      const t: SqlType = { base, length, precision: (c.NUMERIC_PRECISION as number | null) ?? undefined };
      t.scale = ['time', 'datetime2', 'datetimeoffset'].includes(base) ? (c.DATETIME_PRECISION as number) : ((c.NUMERIC_SCALE as number | null) ?? undefined);
      return [String(c.COLUMN_NAME), formatSqlType(t)];
    });
  } finally {
    await pool.close();
  }
}

/**
 * Each column's cells ordered by id, as exact comparable values: temporal columns as their raw
 * integers (ticks, days), decimals as unscaled integers, bytes as arrays, nulls as null.
 */
function exactCells(table: A.Table): Record<string, unknown[]> {
  const ids = Array.from({ length: table.numRows }, (_, i) => i).sort((a, b) => (table.getChild('id')!.get(a) as number) - (table.getChild('id')!.get(b) as number));
  const out: Record<string, unknown[]> = {};
  for (const field of table.schema.fields) {
    const column = table.getChild(field.name)!;
    const raw: unknown[] = [];
    for (const data of column.data) {
      for (let i = 0; i < data.length; i++) {
        if (!data.getValid(i)) raw.push(null);
        else if (A.DataType.isTimestamp(field.type) || A.DataType.isTime(field.type) || A.DataType.isDate(field.type)) raw.push(String(data.values[i]));
        else if (A.DataType.isDecimal(field.type)) {
          const w = data.values as Uint32Array;
          raw.push(String(BigInt.asIntN(128, [0, 1, 2, 3].reduce((acc, k) => acc | (BigInt(w[i * 4 + k]!) << BigInt(32 * k)), 0n))));
        } else {
          const v = A.makeVector(data).get(i);
          raw.push(v instanceof Uint8Array ? Array.from(v) : typeof v === 'bigint' ? String(v) : v);
        }
      }
    }
    out[field.name] = ids.map((i) => raw[i]);
  }
  return out;
}
