/**
 * The CLI as a user runs it: `node bin/hygge.js ...` in a child process. Each spawn costs
 * ts-node's startup, so the scenarios share one sample project and run in order.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../../bin/hygge.js');

function hygge(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

// A run spawns node, ts-node and entity threads; on a busy 2-core machine that takes a while.
jest.setTimeout(120_000);

describe('hygge CLI on the init sample project', () => {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'hygge-cli-')), 'project');
  const entityFile = (name: string) => path.join(dir, 'flows/sample/entities', `${name}.yml`);

  it('init writes a project, and refuses to overwrite it without --force', () => {
    const first = hygge('init', dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('hygge go --project');
    for (const f of ['hygge.yml', 'flows/sample/flow.yml', 'flows/sample/entities/customers.yml', 'data/source/orders.parquet', 'data/source/customers.parquet']) {
      expect(existsSync(path.join(dir, f))).toBe(true);
    }
    const again = hygge('init', dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
  });

  it('go --dry-run prints the plan and touches nothing', () => {
    const r = hygge('go', '--project', dir, '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sample\.orders\s+full_drop\s+parquet data\/source\/orders\.parquet → parquet data\/lake\/orders \(snappy\)/);
    expect(r.stdout).toMatch(/sample\.customers\s+full_drop\s+.*\(zstd\)/);
    expect(r.stdout).toContain('at most 2 at once');
    expect(existsSync(path.join(dir, 'data/lake'))).toBe(false);
  });

  it('go runs the sample and prints a summary', () => {
    const r = hygge('go', '--project', dir);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sample\.orders\s+succeeded\s+1,000/);
    expect(r.stdout).toMatch(/sample\.customers\s+succeeded\s+1,000/);
    expect(r.stderr).toContain('✓ sample.orders succeeded');
    expect(existsSync(path.join(dir, 'data/lake/orders/part-00000.parquet'))).toBe(true);
  });

  it('debug checks the paths', () => {
    const r = hygge('debug', '--project', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ sample\.orders home: data\/source\/orders\.parquet exists/);
    expect(r.stdout).toContain('All checks passed');
  });

  it('a failing entity exits 1 while the other still succeeds', () => {
    writeFileSync(entityFile('orders'), 'home:\n  path: data/source/missing.parquet\n');
    const r = hygge('go', '--project', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/sample\.orders\s+failed\s+0/);
    expect(r.stdout).toMatch(/sample\.customers\s+succeeded\s+1,000/);
    expect(r.stdout).toContain('1 succeeded, 1 failed.');
    expect(r.stdout).toMatch(/✗ sample\.orders\n.*missing\.parquet/);
    expect(r.stdout + r.stderr).not.toMatch(STACK_LINE);
  });

  it('a config typo exits 2 with a suggestion and no stack trace', () => {
    writeFileSync(entityFile('orders'), 'stroe:\n  compression: zstd\n');
    const r = hygge('go', '--project', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('flows/sample/entities/orders.yml at stroe: unknown key "stroe" — did you mean "store"?');
    expect(r.stderr).not.toMatch(STACK_LINE);
    const json = hygge('go', '--project', dir, '--json');
    expect(json.code).toBe(2);
    expect(json.stdout).toBe('');
    const debug = hygge('debug', '--project', dir);
    expect(debug.code).toBe(2);
    expect(debug.stdout).toContain('did you mean "store"?');
  });
});

describe('hygge help and version', () => {
  it('documents every option and prints the package version', () => {
    const go = hygge('go', '--help');
    expect(go.code).toBe(0);
    for (const option of ['--project', '--flow', '--entity', '--concurrency', '--run-type', '--var', '--dry-run', '--verbose', '--json']) {
      expect(go.stdout).toContain(option);
    }
    const debug = hygge('debug', '--help');
    for (const option of ['--project', '--var', '--verbose']) expect(debug.stdout).toContain(option);
    const init = hygge('init', '--help');
    expect(init.stdout).toContain('--force');
    const top = hygge('--help');
    for (const command of ['init', 'go', 'debug']) expect(top.stdout).toContain(command);

    const version = hygge('--version');
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it('exits 2 on an unknown option', () => {
    const r = hygge('go', '--dryrun');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--dryrun'");
  });
});
