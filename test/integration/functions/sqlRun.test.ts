/**
 * End to end through the Functions app against SQL Server (the TDS stand-in, through the real
 * mssql/tedious driver): the real orchestrators replayed by the harness and the real `plan` and
 * `runEntity` activities load Parquet into tables, then a second run reads them back out.
 * The lanes' cap is proven in test/durable/scheduling.test.ts; here the stand-in's session
 * counter shows the activities of a run sharing one pool per connection in the process.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import { startSqlServer, type SqlServerStandIn } from '../../sqlserver';
import { startHarness, type Harness } from '../../durable/harness';
import { runThroughHarness } from './runThroughHarness';

const ENTITIES = { trips: 900, stations: 40, riders: 300, zones: 25, fares: 150 };
const POOL_SIZE = 2;

function writeSqlProject(server: SqlServerStandIn): string {
  const dir = mkdtempSync(join(tmpdir(), 'hygge-functions-sql-'));
  mkdirSync(join(dir, 'data'));
  for (const [name, rows] of Object.entries(ENTITIES)) {
    const table = tableFromArrays({
      id: Int32Array.from({ length: rows }, (_, i) => i),
      amount: Float64Array.from({ length: rows }, (_, i) => i * 1.25),
      label: Array.from({ length: rows }, (_, i) => `${name}-${i}`),
    });
    writeFileSync(join(dir, 'data', `${name}.parquet`), parquet.writeParquet(parquet.Table.fromIPCStream(tableToIPC(table, 'stream'))));
  }
  const yaml = (lines: string[]) => lines.join('\n') + '\n';
  writeFileSync(
    join(dir, 'hygge.yml'),
    yaml([
      'name: functions_sql_e2e',
      'options:',
      '  concurrency: 8',
      '  state: .hygge/state',
      'connections:',
      '  warehouse:',
      '    type: mssql',
      `    server: ${server.host}`,
      `    port: ${server.port}`,
      '    database: hygge',
      `    pool_size: ${POOL_SIZE}`,
      '    auth: sql',
      '    encrypt: false',
    ]),
  );
  const entities = ['entities:', ...Object.keys(ENTITIES).map((e) => `  - ${e}`)];
  mkdirSync(join(dir, 'flows', 'load'), { recursive: true });
  writeFileSync(
    join(dir, 'flows', 'load', 'flow.yml'),
    yaml(['home: { type: parquet, path: "data/{entity}.parquet" }', 'store: { type: mssql, connection: warehouse, table: "dbo.{entity}" }', ...entities]),
  );
  mkdirSync(join(dir, 'flows', 'unload'), { recursive: true });
  writeFileSync(
    join(dir, 'flows', 'unload', 'flow.yml'),
    yaml(['home: { type: mssql, connection: warehouse, table: "dbo.{entity}" }', 'store: { type: parquet, path: out }', ...entities]),
  );
  return dir;
}

describe('Functions app end to end, Parquet ↔ SQL Server (stand-in)', () => {
  let server: SqlServerStandIn;
  let dir: string;
  let harness: Harness;
  const saved = { user: process.env.SQL_USER, password: process.env.SQL_PASSWORD };

  beforeAll(async () => {
    server = await startSqlServer();
    dir = writeSqlProject(server);
    process.env.HYGGE_PROJECT_DIR = dir;
    process.env.SQL_USER = 'sa';
    process.env.SQL_PASSWORD = 'Hygge-Passw0rd!';
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness?.close();
    for (const hook of harness?.app.hooks.appTerminate ?? []) await (hook as () => Promise<void>)();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
    delete process.env.HYGGE_PROJECT_DIR;
    process.env.SQL_USER = saved.user;
    process.env.SQL_PASSWORD = saved.password;
    if (saved.user === undefined) delete process.env.SQL_USER;
    if (saved.password === undefined) delete process.env.SQL_PASSWORD;
  });

  it('loads every entity into its table, then reads every table back out, within the pool_size', async () => {
    const load = await runThroughHarness(harness, { flows: ['load'] });
    expect({ status: load.status, counts: load.output?.counts }).toEqual({ status: 'Completed', counts: { succeeded: 5, failed: 0, skipped: 0 } });
    for (const [entity, rows] of Object.entries(ENTITIES)) {
      expect(server.catalog.table(`dbo.${entity}`)?.rows.length).toBe(rows);
    }

    const unload = await runThroughHarness(harness, { flows: ['unload'] });
    expect({ status: unload.status, counts: unload.output?.counts }).toEqual({ status: 'Completed', counts: { succeeded: 5, failed: 0, skipped: 0 } });
    for (const [entity, rows] of Object.entries(ENTITIES)) {
      expect(existsSync(join(dir, 'out', entity))).toBe(true);
      expect(readdirSync(join(dir, 'out', entity)).some((f) => f.endsWith('.parquet'))).toBe(true);
      expect(unload.output.entities.find((e: { id: string }) => e.id === `unload.${entity}`)).toMatchObject({ status: 'succeeded', rows });
    }

    // the activities of this process share the run's pool: never more sessions than pool_size
    expect(server.counters.peakSessions).toBeLessThanOrEqual(POOL_SIZE);
  });
});
