import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Writes `{ 'relative/path.yml': 'content' }` into a fresh temp folder and returns the folder. */
export function writeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hygge-config-'));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return dir;
}

/** A minimal valid project: one Parquet → Parquet flow with two entities. Override files freely. */
export function sampleFiles(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'hygge.yml': 'name: demo\n',
    'flows/sales/flow.yml': [
      'home:',
      '  type: parquet',
      '  path: data/in',
      'store:',
      '  type: parquet',
      '  path: data/out',
      'entities: [orders, customers]',
      '',
    ].join('\n'),
    ...overrides,
  };
}
