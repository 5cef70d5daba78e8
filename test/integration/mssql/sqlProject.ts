/**
 * Temp hygge projects (hygge.yml + flows/<flow>/flow.yml) that talk to a SQL target, run
 * through loadProject → buildPlan → runPlanLocally as the CLI does: the most faithful way to
 * exercise homes, stores, pools and the journal together.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { loadProject } from '../../../src/config/loadProject';
import type { ProjectConfig } from '../../../src/config/project';
import { runPlanLocally } from '../../../src/engine/localRunner';
import type { EntitySummary } from '../../../src/engine/summary';
import { buildPlan } from '../../../src/plan/buildPlan';
import type { RunFilter } from '../../../src/plan/job';
import { LocalDirStore } from '../../../src/storage/localDirStore';
import type { SqlTarget } from '../../support/sqlTarget';
import { readBack, writeParquetObject } from '../parquet/parquetFixtures';

export const SQL_USER_ENV = 'HYGGE_TEST_SQL_USER';
export const SQL_PASSWORD_ENV = 'HYGGE_TEST_SQL_PASSWORD';

export interface SqlProject {
  dir: string;
  /** rewrites a flow file */
  flow(name: string, yaml: string): void;
  /** writes batches as `<dir>/<relative path>` (a Parquet file, through hygge's encoder) */
  writeParquet(relative: string, batches: RecordBatch[]): Promise<void>;
  /** every row of a Parquet file or folder under the project */
  readParquet(relative: string): ReturnType<typeof readBack>;
  load(): Promise<ProjectConfig>;
  /** loads the project and runs the filtered plan in this thread (workers: 0) */
  run(filter?: RunFilter): Promise<EntitySummary[]>;
  /**
   * `hygge go --json <args>` in a child process: the CLI's runPlanLocally on entity threads.
   * A child, because entity threads copy the real process environment, which jest hides from
   * a test (its process.env is a sandbox copy). Async: the stand-in in this process must serve it.
   */
  go(args: string[], env?: Record<string, string>): Promise<{ code: number | null; summaries: EntitySummary[]; stderr: string }>;
  remove(): void;
}

/** The `connections:` entry for the target (SQL auth from env vars set here). */
const BIN = resolve(__dirname, '../../../bin/hygge.js');
/** SQL credentials for connectionYaml's connections, also handed to `go` children */
const sqlEnv: Record<string, string> = {};

export function connectionYaml(target: SqlTarget, opts: { name?: string; poolSize?: number; extra?: string[] } = {}): string[] {
  process.env[SQL_USER_ENV] = sqlEnv[SQL_USER_ENV] = target.settings.user;
  process.env[SQL_PASSWORD_ENV] = sqlEnv[SQL_PASSWORD_ENV] = target.settings.password;
  return [
    `  ${opts.name ?? 'db'}:`,
    '    type: mssql',
    `    server: ${target.settings.server}`,
    `    port: ${target.settings.port}`,
    `    database: ${target.settings.database}`,
    '    auth: sql',
    `    user_env: ${SQL_USER_ENV}`,
    `    password_env: ${SQL_PASSWORD_ENV}`,
    `    encrypt: ${target.settings.encrypt}`,
    `    trust_server_certificate: ${target.settings.trustServerCertificate}`,
    `    pool_size: ${opts.poolSize ?? 4}`,
    ...(opts.extra ?? []).map((l) => `    ${l}`),
  ];
}

export function sqlProject(opts: { connections: string[]; options?: string[] }): SqlProject {
  const dir = mkdtempSync(join(tmpdir(), 'hygge-mssql-'));
  const objects = new LocalDirStore(dir);
  writeFileSync(
    join(dir, 'hygge.yml'),
    ['name: mssql_test', 'options:', '  state: .hygge/state', '  retry: { attempts: 3, initial_delay_ms: 10, max_delay_ms: 50 }',
      ...(opts.options ?? []).map((l) => `  ${l}`), 'connections:', ...opts.connections, ''].join('\n'),
  );
  const project: SqlProject = {
    dir,
    flow(name, yaml) {
      mkdirSync(join(dir, 'flows', name), { recursive: true });
      writeFileSync(join(dir, 'flows', name, 'flow.yml'), yaml);
    },
    writeParquet: (relative, batches) => writeParquetObject(objects, relative, batches),
    readParquet: (relative) => readBack(objects, relative),
    load: () => loadProject(dir),
    async run(filter = {}) {
      const config = await project.load();
      return runPlanLocally(buildPlan(config, filter), config, {}, { workers: 0 });
    },
    go(args, env = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, 'go', '--json', '--project', dir, ...args], {
          env: { ...process.env, ...sqlEnv, ...env, FORCE_COLOR: '0' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => {
          let summaries: EntitySummary[] = [];
          try {
            summaries = JSON.parse(stdout) as EntitySummary[];
          } catch {
            return reject(new Error(`hygge go printed no JSON (exit ${code}):\n${stdout}\n${stderr}`));
          }
          resolve({ code, summaries, stderr });
        });
      });
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return project;
}

/** Fails with the entity errors when any entity did not succeed (readable test failures). */
export function expectSucceeded(summaries: EntitySummary[]): void {
  const failed = summaries.filter((s) => s.status !== 'succeeded');
  if (failed.length > 0) throw new Error(`entities failed:\n${failed.map((s) => `${s.id}: ${JSON.stringify(s.error)}`).join('\n')}`);
}
