/**
 * Incremental runs: the first run reads everything, a later run reads only the rows strictly
 * beyond the watermark the last successful run recorded in the journal; and a watermark value
 * is data, never SQL (it goes as a parameter converted on the server).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as A from 'apache-arrow';
import { arrowFieldsForSql } from '../../../src/arrow/arrowTypeMap';
import { requireSqlType } from '../../../src/arrow/sqlType';
import { openSqlTarget, sqlTargetKinds, type SqlTarget } from '../../support/sqlTarget';
import { connectionYaml, expectSucceeded, sqlProject, type SqlProject } from './sqlProject';

const NS_2024 = 1_704_067_200_000_000_000n; // 2024-01-01T00:00:00Z in ns

/** rows [from, to): id int, updated_at datetime2(7) 100 ns apart (the watermark's last digit matters) */
function eventsBatch(from: number, to: number): A.RecordBatch {
  const n = to - from;
  const [id] = arrowFieldsForSql('id', requireSqlType('int'), false);
  const [at] = arrowFieldsForSql('updated_at', requireSqlType('datetime2(7)'), false);
  const label = new A.Field('label', new A.Utf8(), false);
  const ids = A.makeData({ type: new A.Int32(), length: n, data: Int32Array.from({ length: n }, (_, k) => from + k) });
  const ats = A.makeData({ type: at!.type as A.TimestampNanosecond, length: n, data: BigInt64Array.from({ length: n }, (_, k) => NS_2024 + BigInt(from + k) * 100n) });
  const labels = A.vectorFromArray(Array.from({ length: n }, (_, k) => `event ${from + k}`), new A.Utf8()).data[0]!;
  const fields = [id!, at!, label];
  return new A.RecordBatch(new A.Schema(fields), A.makeData({ type: new A.Struct(fields), length: n, children: [ids, ats, labels] }));
}

describe.each(sqlTargetKinds())('incremental runs (%s)', (kind) => {
  let target: SqlTarget;
  let project: SqlProject;
  let byId: string;
  let byTime: string;

  beforeAll(async () => {
    target = await openSqlTarget(kind);
    byId = target.uniqueName('events_by_id');
    byTime = target.uniqueName('events_by_time');
    project = sqlProject({ connections: connectionYaml(target) });
    project.flow('load', ['home:', '  type: parquet', '  path: data/{entity}.parquet', 'store:', '  type: mssql', '  connection: db', '  table: dbo.{entity}',
      '  write: append', 'entities:', `  - ${byId}`, `  - ${byTime}`, ''].join('\n'));
    project.flow('extract', ['home:', '  type: mssql', '  connection: db', '  table: dbo.{entity}', 'store:', '  type: parquet', '  path: out',
      'run_type: incremental', 'entities:',
      `  - name: ${byId}`, '    watermark: { column: id }',
      `  - name: ${byTime}`, '    watermark: { column: updated_at }', ''].join('\n'));
  });
  afterAll(async () => {
    project?.remove();
    await target?.close();
  });

  const watermarkFile = (entity: string) => join(project.dir, '.hygge/state/watermarks/extract', `${entity}.json`);
  const load = async (from: number, to: number) => {
    for (const e of [byId, byTime]) await project.writeParquet(`data/${e}.parquet`, [eventsBatch(from, to)]);
    expectSucceeded(await project.run({ flows: ['load'] }));
  };

  it('reads everything first, then only rows beyond the watermark; the journal records both runs', async () => {
    await load(1, 101);
    const first = await project.run({ flows: ['extract'] });
    expectSucceeded(first);
    expect(first.map((s) => s.rows)).toEqual([100, 100]);
    expect(JSON.parse(readFileSync(watermarkFile(byId), 'utf8')).watermark).toBe('100');
    expect(JSON.parse(readFileSync(watermarkFile(byTime), 'utf8')).watermark).toBe('2024-01-01 00:00:00.0000100');

    await load(101, 151);
    const second = await project.run({ flows: ['extract'] });
    expectSucceeded(second);
    expect(second.map((s) => s.rows)).toEqual([50, 50]);
    expect(JSON.parse(readFileSync(watermarkFile(byId), 'utf8')).watermark).toBe('150');
    expect(JSON.parse(readFileSync(watermarkFile(byTime), 'utf8')).watermark).toBe('2024-01-01 00:00:00.0000150');
    for (const e of [byId, byTime]) {
      const ids = (await project.readParquet(`out/${e}`)).rows.map((r) => (r as { id: number }).id).sort((a, b) => a - b);
      expect(ids).toEqual(Array.from({ length: 150 }, (_, k) => k + 1));
    }

    // nothing new: a third run reads nothing and keeps the watermark
    const third = await project.run({ flows: ['extract'] });
    expectSucceeded(third);
    expect(third.map((s) => s.rows)).toEqual([0, 0]);
    expect(JSON.parse(readFileSync(watermarkFile(byId), 'utf8')).watermark).toBe('150');

    // one journal record per entity per run
    const runs = readdirSync(join(project.dir, '.hygge/state/runs'));
    const records = runs.flatMap((run) => {
      const dir = join(project.dir, '.hygge/state/runs', run, 'extract');
      return existsSync(dir) ? readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8'))) : [];
    });
    expect(records.filter((r) => r.entity === byId).map((r) => [r.status, r.rows]).sort()).toEqual([['succeeded', 0], ['succeeded', 100], ['succeeded', 50]].sort());
  });

  it('a watermark value cannot inject SQL: it is a typed parameter, refused when it does not convert', async () => {
    for (const [entity, evil] of [
      [byId, `0; DROP TABLE [dbo].[${byId}]; --`],
      [byTime, `2024-01-01' OR 1=1; DROP TABLE [dbo].[${byTime}]; --`],
    ] as const) {
      const record = JSON.parse(readFileSync(watermarkFile(entity), 'utf8'));
      writeFileSync(watermarkFile(entity), JSON.stringify({ ...record, watermark: evil }));
      const [summary] = await project.run({ entities: [`extract.${entity}`] });
      expect(summary!.status).toBe('failed');
      expect(summary!.error?.message).toMatch(/SQL error 24[15]|conver/i);
      // the table is intact, and the watermark is not replaced by a failed run
      writeFileSync(watermarkFile(entity), JSON.stringify(record));
      const [again] = await project.run({ entities: [`extract.${entity}`] });
      expectSucceeded([again!]);
      expect(again!.rows).toBe(0);
    }
  });
});
