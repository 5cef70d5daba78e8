/**
 * The SQL part's input: the first N rows of flights-3m as one Parquet file. Quickstart setup,
 * not hygge: parquet-wasm reads only the row groups it needs, so this takes well under a second.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { openAsBlob } from 'node:fs';
import { dirname } from 'node:path';
import { ParquetFile, writeParquet } from 'parquet-wasm';

/** Writes `dest`, the first `rows` rows of `source` (all of it when `rows` is undefined). */
export async function writeSample(source: string, dest: string, rows: number | undefined): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  if (rows === undefined) {
    await copyFile(source, dest);
    return;
  }
  const file = await ParquetFile.fromFile(await openAsBlob(source));
  try {
    // writeParquet takes ownership of the table (frees it), so it is not freed here
    await writeFile(dest, writeParquet(await file.read({ limit: rows })));
  } finally {
    file.free();
  }
}

/**
 * QUICKSTART_SQL_ROWS: how many flights go through SQL Server. Defaults to a sample because the
 * SQL path moves ~100k rows/s today and the stand-in keeps every row in memory; `all` takes
 * the whole data set.
 */
export function sampleRows(env: NodeJS.ProcessEnv, fallback: number): number | undefined {
  const raw = env.QUICKSTART_SQL_ROWS?.trim();
  if (!raw) return fallback;
  if (raw.toLowerCase() === 'all') return undefined;
  const n = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`QUICKSTART_SQL_ROWS must be a positive whole number or "all", got "${raw}"`);
  return n;
}
