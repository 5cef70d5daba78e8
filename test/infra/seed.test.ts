/**
 * `seed()` (infra/tasks/seed.ts, what `npm run infra:seed` runs) against the SQL Server
 * stand-in, with SQL auth and a 20,000-row extract of the flights data set (the full 3M rows
 * take too long for a test). Runs in a child process: seed() runs entities on threads, which
 * copy the real process environment (SQL_USER / SQL_PASSWORD), not jest's sandboxed one.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { startSqlServer, type SqlServerStandIn } from '../sqlserver';

const ROOT = resolve(__dirname, '../..');
const ROWS = 20_000;

describe('infra seed against the stand-in', () => {
  let server: SqlServerStandIn;
  let dir: string;

  beforeAll(async () => {
    server = await startSqlServer();
    dir = mkdtempSync(join(tmpdir(), 'hygge-seed-'));
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const source = join(ROOT, 'node_modules/vega-datasets/data/flights-3m.parquet');
    await c.run(`COPY (SELECT * FROM read_parquet('${source}') LIMIT ${ROWS}) TO '${join(dir, 'flights-20k.parquet')}' (FORMAT parquet)`);
    c.closeSync();
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads the flights table through hygge', async () => {
    const vars = {
      HYGGE_SQL_SERVER: '127.0.0.1',
      HYGGE_SQL_PORT: String(server.port),
      HYGGE_SQL_DATABASE: 'hygge',
      HYGGE_SQL_AUTH: 'sql',
      HYGGE_SQL_ENCRYPT: 'false',
      HYGGE_SEED_STATE: join(dir, 'state'),
      HYGGE_SEED_DATA: dir,
      HYGGE_SEED_FLIGHTS: 'flights-20k',
    };
    const script = `require('./infra/tasks/seed').seed(${JSON.stringify(vars)}).then((s) => console.log(JSON.stringify(s)), (e) => { console.error(e); process.exit(1); })`;
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
        cwd: ROOT,
        env: { ...process.env, SQL_USER: 'sa', SQL_PASSWORD: 'Hygge-Passw0rd!' },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', fail);
      child.on('close', (c) => done({ code: c, stdout: out, stderr: err }));
    });
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const summaries = JSON.parse(stdout.trim().split('\n').pop()!) as { status: string; rows: number }[];
    expect(summaries.map((s) => [s.status, s.rows, (s as { error?: unknown }).error])).toEqual([["succeeded", ROWS, undefined]]);
    expect(server.catalog.table('dbo.flights')?.rows.length).toBe(ROWS);
  });
});
