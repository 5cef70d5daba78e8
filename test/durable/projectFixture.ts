/**
 * A test project in a temp dir: hygge.yml with two pooled SQL connections and a schedule,
 * and flows that share a connection, use two at once, or none. The SQL servers are never
 * contacted by the tests that use it: they replace the runEntity activity, while `plan`
 * (loadProject + buildPlan) is the real one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FixtureOptions {
  /** entities per flow */
  perFlow?: number;
  caps?: { sql_a: number; sql_b: number };
  concurrency?: number;
  retry?: { attempts: number; initial_delay_ms: number; max_delay_ms: number };
}

export interface Fixture {
  dir: string;
  /** connection keys each entity id uses, as buildPlan computes them */
  connectionsOf(id: string): string[];
  ids: string[];
  remove(): void;
}

export function writeProject(opts: FixtureOptions = {}): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'hygge-durable-'));
  const perFlow = opts.perFlow ?? 5;
  const caps = opts.caps ?? { sql_a: 3, sql_b: 2 };
  const retry = opts.retry ?? { attempts: 3, initial_delay_ms: 1000, max_delay_ms: 30000 };
  writeFileSync(
    join(dir, 'hygge.yml'),
    [
      'name: durable_test',
      'options:',
      `  concurrency: ${opts.concurrency ?? 6}`,
      `  retry: { attempts: ${retry.attempts}, initial_delay_ms: ${retry.initial_delay_ms}, max_delay_ms: ${retry.max_delay_ms} }`,
      'connections:',
      `  sql_a: { type: mssql, server: a.example.net, database: A, pool_size: ${caps.sql_a}, auth: sql }`,
      `  sql_b: { type: mssql, server: b.example.net, database: B, pool_size: ${caps.sql_b}, auth: sql }`,
      'schedules:',
      '  - name: nightly',
      '    cron: "0 0 2 * * *"',
      '    flows: [files]',
      '',
    ].join('\n'),
  );
  const entities = (flow: string) => Array.from({ length: perFlow }, (_, i) => `${flow}_t${i}`);
  const flows: Record<string, { home: string; store: string; connections: string[] }> = {
    sales: { home: 'type: mssql\n  connection: sql_a\n  table: "dbo.{entity}"', store: 'type: parquet\n  path: out/sales', connections: ['sql_a'] },
    hr: { home: 'type: mssql\n  connection: sql_a\n  table: "hr.{entity}"', store: 'type: parquet\n  path: out/hr', connections: ['sql_a'] },
    copy: { home: 'type: mssql\n  connection: sql_a\n  table: "dbo.{entity}"', store: 'type: mssql\n  connection: sql_b\n  table: "dbo.{entity}"', connections: ['sql_a', 'sql_b'] },
    dw: { home: 'type: parquet\n  path: in/dw', store: 'type: mssql\n  connection: sql_b\n  table: "dw.{entity}"', connections: ['sql_b'] },
    files: { home: 'type: parquet\n  path: in/files', store: 'type: parquet\n  path: out/files', connections: [] },
  };
  const ids: string[] = [];
  const connections = new Map<string, string[]>();
  for (const [flow, f] of Object.entries(flows)) {
    mkdirSync(join(dir, 'flows', flow), { recursive: true });
    const names = entities(flow);
    writeFileSync(join(dir, 'flows', flow, 'flow.yml'), `home:\n  ${f.home}\nstore:\n  ${f.store}\nentities:\n${names.map((n) => `  - ${n}`).join('\n')}\n`);
    for (const n of names) {
      ids.push(`${flow}.${n}`);
      connections.set(`${flow}.${n}`, f.connections);
    }
  }
  return {
    dir,
    ids,
    connectionsOf: (id) => connections.get(id) ?? [],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
