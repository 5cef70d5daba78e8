/**
 * The entity pattern: 10 tables through one connection with pool_size 3, run by runPlanLocally
 * on entity threads as the CLI runs them. The stand-in's counters show the pool's bound (never
 * more than 3 sessions at once) and that nothing leaks (no session left after the run). The
 * runs are `hygge go` children (see SqlProject.go).
 */
import * as A from 'apache-arrow';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlTarget, type SqlTarget } from '../../support/sqlTarget';
import { settledSessions } from './settle';
import { connectionYaml, expectSucceeded, sqlProject, type SqlProject } from './sqlProject';

const TABLES = Array.from({ length: 10 }, (_, i) => `pooled_${i}`);
const rowsOf = (i: number) => 500 + i * 100;

describe('10 tables with pool_size 3 (stand-in)', () => {
  let target: SqlTarget;
  let project: SqlProject;

  beforeAll(async () => {
    target = await openSqlTarget('stand-in');
    project = sqlProject({ connections: connectionYaml(target, { poolSize: 3 }), options: ['concurrency: 10'] });
    project.flow('load', ['home:', '  type: parquet', '  path: data/{entity}.parquet', 'store:', '  type: mssql', '  connection: db', '  table: dbo.{entity}',
      'entities:', ...TABLES.map((t) => `  - ${t}`), ''].join('\n'));
    project.flow('extract', ['home:', '  type: mssql', '  connection: db', '  table: dbo.{entity}', '  batch_size: 128', 'store:', '  type: parquet', '  path: out',
      'entities:', ...TABLES.map((t) => `  - ${t}`), ''].join('\n'));
    for (const [i, t] of TABLES.entries()) {
      const n = rowsOf(i);
      const batch = A.tableFromArrays({ id: Int32Array.from({ length: n }, (_, k) => k), label: Array.from({ length: n }, (_, k) => `${t}-${k}`) }).batches[0]!;
      await project.writeParquet(`data/${t}.parquet`, [batch]);
    }
  });
  afterAll(async () => {
    project?.remove();
    await target?.close();
  });

  it('loads and extracts every table, never holding more than 3 sessions, leaking none', async () => {
    const counters = target.standIn!.counters;
    counters.reset();
    expectSucceeded((await project.go(['--flow', 'load'])).summaries);
    expect(counters.peakSessions).toBeLessThanOrEqual(3);
    expect(await settledSessions(counters)).toBe(0);
    for (const [i, t] of TABLES.entries()) expect(target.standIn!.catalog.table(`dbo.${t}`)?.rows.length).toBe(rowsOf(i));

    counters.reset();
    const { summaries } = await project.go(['--flow', 'extract']);
    expectSucceeded(summaries);
    expect(counters.peakSessions).toBeLessThanOrEqual(3);
    expect(counters.connectionsOpened).toBeLessThanOrEqual(3);
    expect(await settledSessions(counters)).toBe(0);
    for (const [i, t] of TABLES.entries()) {
      expect(existsSync(join(project.dir, 'out', t))).toBe(true);
      expect((await project.readParquet(`out/${t}`)).rows).toHaveLength(rowsOf(i));
      expect(summaries.find((s) => s.entity === t)?.rows).toBe(rowsOf(i));
    }
  });
});
