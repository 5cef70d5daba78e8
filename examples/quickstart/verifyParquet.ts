/**
 * Checks that a Parquet copy holds exactly its source's rows, with DuckDB as the independent
 * judge: same row count, and no row in one that is missing from the other (EXCEPT ALL, so
 * duplicates count). Copies in Blob are downloaded through hygge's own object store first.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { RunResources } from '../../src/engine/runResources';
import type { ProjectConfig } from '../../src/config/project';
import { objectStoreFor } from '../../src/storage/registry';

export interface CopyCheck {
  label: string;
  sourceRows: number;
  copyRows: number;
  missing: number;
  extra: number;
  ok: boolean;
}

/** `files` are local paths or globs DuckDB can read. */
export async function compareParquet(label: string, source: string[], copy: string[]): Promise<CopyCheck> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const list = (files: string[]) => `read_parquet([${files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ')}])`;
    const scalar = async (sql: string) => Number((await conn.runAndReadAll(sql)).getRows()[0]![0]);
    const sourceRows = await scalar(`SELECT count(*) FROM ${list(source)}`);
    const copyRows = await scalar(`SELECT count(*) FROM ${list(copy)}`);
    const missing = await scalar(`SELECT count(*) FROM (SELECT * FROM ${list(source)} EXCEPT ALL SELECT * FROM ${list(copy)})`);
    const extra = await scalar(`SELECT count(*) FROM (SELECT * FROM ${list(copy)} EXCEPT ALL SELECT * FROM ${list(source)})`);
    return { label, sourceRows, copyRows, missing, extra, ok: sourceRows === copyRows && missing === 0 && extra === 0 };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Local copies of every part under `prefix` in a storage (a blob connection, or local). */
export async function withLocalParts<T>(
  project: ProjectConfig,
  storage: string | undefined,
  prefix: string,
  use: (files: string[]) => Promise<T>,
): Promise<T> {
  const resources = new RunResources(project);
  const store = objectStoreFor(resources, storage);
  const parts = (await store.list(prefix.replace(/\/?$/, '/'))).filter((o) => o.key.endsWith('.parquet'));
  const copies = await Promise.all(parts.map((p) => store.localCopy(p.key)));
  try {
    if (copies.length === 0) throw new Error(`no Parquet parts under ${store.describe(prefix)}`);
    return await use(copies.map((c) => c.path));
  } finally {
    await Promise.all(copies.map((c) => c.release()));
    await resources.close();
  }
}
