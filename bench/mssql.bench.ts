/**
 * SQL Server ↔ Parquet throughput, CPU and memory against the TDS stand-in.
 *
 *   npx ts-node --transpile-only bench/mssql.bench.ts
 *
 * The stand-in runs in its own CHILD process, so its CPU is measured apart from hygge's; each
 * case runs in a fresh child too (its maxRSS is its own peak), as `hygge go` would: a temp
 * project, loadProject → buildPlan → runPlanLocally (entity threads).
 *
 * Cases (issue targets):
 *  - Parquet → SQL Server, 1,000,000 rows × 10 mixed columns   ≥ 300k rows/s
 *  - SQL Server → Parquet, the same table                       ≥ 500k rows/s
 *  - 50 tables SQL Server → Parquet with pool_size 5            peak RSS ≤ 300 MB, exactly 5 sessions
 *    (50 × 200,000 rows: the stand-in keeps bulk-loaded rows in the wire form they arrived
 *    in and serves them from there, so the 10M rows cost it about their TDS size in memory)
 *
 * Case children run plain `node` on a transpiled copy (bench/.out/mssql-js, made first), as
 * production runs compiled code: under ts-node the TypeScript compiler alone adds ~80 MB to
 * every peak RSS. BENCH_CPU_PROF=<dir> adds `--cpu-prof` to every case child (one profile per
 * thread, entity threads included) and to the stand-in (written when it exits), for Chrome
 * DevTools or a self-time summary.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { transpileForChildren } from './transpileForChildren';
import { createInterface } from 'node:readline';
import type * as Arrow from 'apache-arrow';

/** the repository root, also when this file runs compiled from bench/.out/mssql-js/bench/ */
const REPO = (() => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();
const ROWS = 1_000_000;
const TABLES = 50;
const TABLE_ROWS = 200_000;
const POOL_SIZE = 5;

interface CaseResult {
  rows: number;
  seconds: number;
  cpuMs: number;
  maxRssMb: number;
  /** RSS after loading the project, before any entity ran (the process's fixed cost) */
  startRssMb: number;
  failed: string[];
}

interface StandInStats {
  cpuMs: number;
  rssMb: number;
  counters: { connectionsOpened: number; peakSessions: number; currentSessions: number };
}

// ─── the stand-in child ─────────────────────────────────────────────────────────────────
const STAND_IN_SCRIPT = `
const { startSqlServer } = require('./test/sqlserver');
startSqlServer({}).then((s) => {
  console.log(JSON.stringify({ host: s.host, port: s.port }));
  require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'reset') s.counters.reset();
    const cpu = process.cpuUsage();
    console.log(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.memoryUsage().rss / 2 ** 20,
      counters: { connectionsOpened: s.counters.connectionsOpened, peakSessions: s.counters.peakSessions, currentSessions: s.counters.currentSessions } }));
  }).on('close', () => process.exit(0)); // a clean exit writes the --cpu-prof profile
});`;

class StandIn {
  private lines: AsyncIterator<string>;
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }
  static async start(): Promise<{ standIn: StandIn; host: string; port: number }> {
    // BENCH_CPU_PROF profiles the stand-in too (written when the bench ends and stops it)
    const prof = process.env.BENCH_CPU_PROF;
    const flags = prof ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof, 'stand-in')}`] : [];
    const child = spawn(process.execPath, [...flags, '-r', 'ts-node/register/transpile-only', '-e', STAND_IN_SCRIPT], { cwd: REPO });
    child.stderr.pipe(process.stderr);
    const standIn = new StandIn(child);
    const { host, port } = JSON.parse(await standIn.next()) as { host: string; port: number };
    return { standIn, host, port };
  }
  private async next(): Promise<string> {
    const r = await this.lines.next();
    if (r.done) throw new Error('the stand-in exited');
    return r.value;
  }
  async stats(reset = false): Promise<StandInStats> {
    this.child.stdin.write(reset ? 'reset\n' : 'stats\n');
    return JSON.parse(await this.next()) as StandInStats;
  }
  stop(): void {
    this.child.stdin.end();
    setTimeout(() => this.child.kill(), 5000).unref();
  }
}

// ─── the project ────────────────────────────────────────────────────────────────────────
function writeProject(dir: string, host: string, port: number): void {
  const flow = (name: string, lines: string[]) => {
    mkdirSync(path.join(dir, 'flows', name), { recursive: true });
    writeFileSync(path.join(dir, 'flows', name, 'flow.yml'), lines.join('\n') + '\n');
  };
  writeFileSync(path.join(dir, 'hygge.yml'), [
    'name: mssql_bench', 'options:', '  state: .hygge/state', '  concurrency: 8',
    ...(process.env.BENCH_BATCH_SIZE ? [`  batch_size: ${process.env.BENCH_BATCH_SIZE}`] : []), 'connections:', '  db:', '    type: mssql',
    `    server: ${host}`, `    port: ${port}`, '    database: hygge', '    auth: sql', '    encrypt: false', `    pool_size: ${POOL_SIZE}`, ''].join('\n'));
  const toSql = ['home:', '  type: parquet', '  path: data/{entity}.parquet', 'store:', '  type: mssql', '  connection: db', '  table: dbo.{entity}', '  write: replace'];
  const toParquet = ['home:', '  type: mssql', '  connection: db', '  table: dbo.{entity}', 'store:', '  type: parquet', '  path: out'];
  const tables = Array.from({ length: TABLES }, (_, i) => `  - t_${String(i).padStart(2, '0')}`);
  flow('p2s', [...toSql, 'entities:', '  - bench']);
  flow('s2p', [...toParquet, 'entities:', '  - bench']);
  flow('seed50', [...toSql, 'entities:', ...tables]);
  flow('tables50', [...toParquet, 'entities:', ...tables]);
}

// ─── cases (each in its own child: `mssql.bench.ts <case> <project dir>`) ────────────────
async function runCase(name: string, dir: string): Promise<CaseResult> {
  const { loadProject } = await import('../src/config/loadProject');
  const { buildPlan } = await import('../src/plan/buildPlan');
  const { runPlanLocally } = await import('../src/engine/localRunner');
  if (name === 'data') {
    await writeData(dir);
    return { rows: 0, seconds: 0, cpuMs: 0, maxRssMb: 0, startRssMb: 0, failed: [] };
  }
  process.env.SQL_USER = 'sa';
  process.env.SQL_PASSWORD = 'Hygge-Passw0rd!';
  const project = await loadProject(dir);
  const plan = buildPlan(project, { flows: [name] });
  const startRssMb = process.memoryUsage().rss / 2 ** 20;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const summaries = await runPlanLocally(plan, project);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return {
    rows: summaries.reduce((n, s) => n + s.rows, 0),
    seconds,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    startRssMb,
    failed: summaries.filter((s) => s.status !== 'succeeded').map((s) => `${s.id}: ${s.error?.message}`),
  };
}

/** 10 mixed columns, with the SQL types in field metadata as hygge's SQL home writes them */
async function writeData(dir: string): Promise<void> {
  const A = await import('apache-arrow');
  const { arrowFieldsForSql } = await import('../src/arrow/arrowTypeMap');
  const { requireSqlType } = await import('../src/arrow/sqlType');
  const { encodeParquet } = await import('../src/parquet/parquetEncoder');
  const { LocalDirStore } = await import('../src/storage/localDirStore');
  const objects = new LocalDirStore(dir);
  const batch = (from: number, n: number) => {
    const spec: [string, string, () => Arrow.Data][] = [
      ['id', 'bigint', () => A.makeData({ type: new A.Int64(), length: n, data: BigInt64Array.from({ length: n }, (_, i) => BigInt(from + i)) })],
      ['qty', 'int', () => A.makeData({ type: new A.Int32(), length: n, data: Int32Array.from({ length: n }, (_, i) => (from + i) % 1000) })],
      ['price', 'decimal(18,4)', () => {
        const words = new Uint32Array(n * 4);
        for (let i = 0; i < n; i++) words[i * 4] = ((from + i) * 7919) % 100_000_000;
        return A.makeData({ type: new A.Decimal(4, 18, 128), length: n, data: words });
      }],
      ['amount', 'float', () => A.makeData({ type: new A.Float64(), length: n, data: Float64Array.from({ length: n }, (_, i) => (from + i) * 1.25) })],
      ['flag', 'bit', () => A.vectorFromArray(Array.from({ length: n }, (_, i) => (from + i) % 3 === 0), new A.Bool()).data[0]!],
      ['day', 'date', () => A.makeData({ type: new A.DateDay(), length: n, data: Int32Array.from({ length: n }, (_, i) => 19_000 + ((from + i) % 3650)) })],
      ['at', 'datetime2(7)', () => A.makeData({ type: new A.TimestampNanosecond(), length: n, data: BigInt64Array.from({ length: n }, (_, i) => 1_700_000_000_000_000_000n + BigInt(from + i) * 1_000_100n) })],
      ['name', 'nvarchar(50)', () => A.vectorFromArray(Array.from({ length: n }, (_, i) => `customer ${from + i} ø`), new A.Utf8()).data[0]!],
      ['code', 'varchar(10)', () => A.vectorFromArray(Array.from({ length: n }, (_, i) => `C${(from + i) % 100_000}`), new A.Utf8()).data[0]!],
      ['ref', 'uniqueidentifier', () => A.vectorFromArray(Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${(from + i).toString(16).padStart(12, '0')}`), new A.Utf8()).data[0]!],
    ];
    const fields = spec.map(([name, type]) => arrowFieldsForSql(name, requireSqlType(type), false)[0]!);
    return new A.RecordBatch(new A.Schema(fields), A.makeData({ type: new A.Struct(fields), length: n, children: spec.map(([, , make]) => make()) }));
  };
  const write = async (key: string, rows: number) => {
    async function* batches() {
      for (let from = 0; from < rows; from += 100_000) yield batch(from, Math.min(100_000, rows - from));
    }
    await objects.write(key, encodeParquet(batches(), { compression: 'snappy', rowGroupSize: 122_880 }));
  };
  await write('data/bench.parquet', ROWS);
  for (let i = 0; i < TABLES; i++) await write(`data/t_${String(i).padStart(2, '0')}.parquet`, TABLE_ROWS);
}


let childScript: string | undefined;

function childCase(name: string, dir: string): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    childScript ??= transpileForChildren(REPO, 'mssql-js', ['src'], 'bench/mssql.bench.ts');
    const prof = process.env.BENCH_CPU_PROF;
    const flags = prof ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof, name)}`] : [];
    const child = spawn(process.execPath, [...flags, childScript, name, dir], { cwd: REPO, env: process.env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.pipe(process.stderr);
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`case ${name} exited with ${code}: ${out}`));
      resolve(JSON.parse(last) as CaseResult);
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hygge-mssql-bench-'));
  const { standIn, host, port } = await StandIn.start();
  try {
    writeProject(dir, host, port);
    console.log(`stand-in at ${host}:${port} (child process); project in ${dir}`);
    console.log(`writing ${ROWS.toLocaleString()} + ${TABLES} × ${TABLE_ROWS.toLocaleString()} rows of Parquet …`);
    await childCase('data', dir);
    const rows: string[][] = [];
    const measure = async (label: string, name: string, target: string) => {
      const before = await standIn.stats(true);
      const r = await childCase(name, dir);
      const after = await standIn.stats();
      if (r.failed.length > 0) throw new Error(`${label}: ${r.failed.join('; ')}`);
      const rate = r.rows / r.seconds;
      rows.push([label, r.rows.toLocaleString(), r.seconds.toFixed(2), `${Math.round(rate / 1000)}k`, target,
        (r.cpuMs / 1000).toFixed(2), ((after.cpuMs - before.cpuMs) / 1000).toFixed(2), `${r.maxRssMb.toFixed(0)} (start ${r.startRssMb.toFixed(0)})`,
        `${after.counters.connectionsOpened} (peak ${after.counters.peakSessions}, left ${after.counters.currentSessions})`]);
    };
    // BENCH_CASES=p2s,s2p runs only those cases (tables50 needs seed50 before it)
    const only = process.env.BENCH_CASES?.split(',').map((c) => c.trim());
    // repeats share the stand-in, whose heap keeps growing (replaced tables are garbage it must
    // collect): for medians, separate bench runs are steadier
    const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
    const cases: [string, string, string][] = [
      ['Parquet → SQL Server (1M × 10)', 'p2s', '≥ 300k'],
      ['SQL Server → Parquet (1M × 10)', 's2p', '≥ 500k'],
      [`seed ${TABLES} tables (Parquet → SQL)`, 'seed50', '—'],
      [`${TABLES} tables SQL → Parquet, pool ${POOL_SIZE}`, 'tables50', 'RSS ≤ 300 MB, 5 sessions'],
    ];
    for (const [label, name, target] of cases) {
      if (only && !only.includes(name)) continue;
      for (let i = 0; i < repeat; i++) await measure(label, name, target);
    }
    const header = ['case', 'rows', 's', 'rows/s', 'target', 'hygge CPU s', 'stand-in CPU s', 'hygge maxRSS MB (at start)', 'sessions opened'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
    console.log(`stand-in RSS now ${(await standIn.stats()).rssMb.toFixed(0)} MB`);
  } finally {
    standIn.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const [caseName, caseDir] = process.argv.slice(2);
if (caseName && caseDir) {
  runCase(caseName, caseDir).then(
    (r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
