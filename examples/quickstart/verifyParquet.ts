/**
 * Checks that a Parquet copy holds exactly its source's rows, with DuckDB as the independent
 * judge: same columns and types, same row count, and no row in one that is missing from the
 * other (EXCEPT ALL, so duplicates count). Copies in Blob are downloaded through hygge's own
 * object store first.
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
  /** set when the columns (names, order, DuckDB types) differ; rows are then not compared */
  schemaDiff?: string;
  ok: boolean;
}

/**
 * `files` are local paths or globs DuckDB can read. The schemas are compared first: EXCEPT
 * ALL matches columns by position and casts implicitly, so without this a copy whose
 * timestamps changed unit or whose numbers became strings could still "match".
 */
export async function compareParquet(label: string, source: string[], copy: string[]): Promise<CopyCheck> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const list = (files: string[]) => `read_parquet([${files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ')}])`;
    const scalar = async (sql: string) => Number((await conn.runAndReadAll(sql)).getRows()[0]![0]);
    const columns = async (files: string[]) =>
      (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${list(files)}`)).getRows().map((r) => `${String(r[0])} ${String(r[1])}`).join(', ');
    const sourceRows = await scalar(`SELECT count(*) FROM ${list(source)}`);
    const copyRows = await scalar(`SELECT count(*) FROM ${list(copy)}`);
    const [sourceColumns, copyColumns] = [await columns(source), await columns(copy)];
    if (sourceColumns !== copyColumns) {
      const schemaDiff = `source (${sourceColumns}) vs copy (${copyColumns})`;
      return { label, sourceRows, copyRows, missing: NaN, extra: NaN, schemaDiff, ok: false };
    }
    const missing = await scalar(`SELECT count(*) FROM (SELECT * FROM ${list(source)} EXCEPT ALL SELECT * FROM ${list(copy)})`);
    const extra = await scalar(`SELECT count(*) FROM (SELECT * FROM ${list(copy)} EXCEPT ALL SELECT * FROM ${list(source)})`);
    return { label, sourceRows, copyRows, missing, extra, ok: sourceRows === copyRows && missing === 0 && extra === 0 };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** One line for the output: ✓/✗, the label, the row counts and what differs. */
export function describeCheck(c: CopyCheck): string {
  const counts = `${c.copyRows.toLocaleString()} of ${c.sourceRows.toLocaleString()} rows`;
  if (c.ok) return `✓ ${c.label}: ${counts}, same columns, every row matches`;
  if (c.schemaDiff) return `✗ ${c.label}: ${counts}, columns differ: ${c.schemaDiff}`;
  return `✗ ${c.label}: ${counts}, ${c.missing} missing, ${c.extra} extra`;
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
