/** A small Parquet → Parquet project on local disk (optionally storing into Blob). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm';

export interface ParquetProject {
  dir: string;
  entities: Record<string, number>;
  remove(): void;
}

export function writeParquetProject(opts: { blob?: { connectionStringEnv: string; container: string } } = {}): ParquetProject {
  const dir = mkdtempSync(join(tmpdir(), 'hygge-functions-e2e-'));
  const entities = { trips: 1200, stations: 40, riders: 300 };
  mkdirSync(join(dir, 'data'), { recursive: true });
  for (const [name, rows] of Object.entries(entities)) {
    const table = tableFromArrays({
      id: Int32Array.from({ length: rows }, (_, i) => i),
      amount: Float64Array.from({ length: rows }, (_, i) => i * 1.5),
      label: Array.from({ length: rows }, (_, i) => `${name}-${i}`),
    });
    const wasmTable = parquet.Table.fromIPCStream(tableToIPC(table, 'stream'));
    writeFileSync(join(dir, 'data', `${name}.parquet`), parquet.writeParquet(wasmTable));
  }
  const blob = opts.blob;
  writeFileSync(
    join(dir, 'hygge.yml'),
    [
      'name: functions_e2e',
      'options:',
      '  concurrency: 2',
      '  state: .hygge/state',
      ...(blob
        ? ['connections:', '  lake:', '    type: blob', '    auth: connection_string', `    connection_string_env: ${blob.connectionStringEnv}`, `    container: ${blob.container}`]
        : []),
      '',
    ].join('\n'),
  );
  mkdirSync(join(dir, 'flows', 'local'), { recursive: true });
  writeFileSync(
    join(dir, 'flows', 'local', 'flow.yml'),
    [
      'home:',
      '  type: parquet',
      '  path: data/{entity}.parquet',
      'store:',
      '  type: parquet',
      ...(blob ? ['  storage: lake', '  path: raw'] : ['  path: out']),
      'entities:',
      ...Object.keys(entities).map((e) => `  - ${e}`),
      '',
    ].join('\n'),
  );
  return { dir, entities, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
