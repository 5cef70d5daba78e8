/**
 * Staging and publishing Parquet parts without ever showing a partial result.
 *
 * Layout, for an entity folder `<path>/`:
 *   <path>/part-00000.parquet …                       published parts (what readers see)
 *   <path>/_hygge_staging/<runId>/part-00000.parquet.staged …   this run's parts while staging
 *   <path>/_hygge_staging/<runId>/_publish.json       the publish record (written at commit)
 *
 * Staging lives under the destination so that (1) writing the first staged part already
 * proves the destination writable (a failure is DESTINATION_NOT_WRITABLE before anything is
 * published), (2) local renames never cross file systems, and (3) a rerun finds a crashed
 * publish by listing one folder. Readers never see staged parts: they are not `*.parquet`
 * (suffix `.staged`) and the folder starts with `_`, which Spark/Hive/DuckDB-style readers and
 * hygge's own Parquet home skip.
 *
 * Publish, in this order:
 *   0. settle any publish record left by an earlier crashed run of this destination (below)
 *      and remove other runs' staging folders that have no record (crashed while staging);
 *   1. plan: full_drop → new parts are part-00000… and every other `*.parquet` directly in
 *      `<path>/` is to be retired; incremental → new parts are numbered after the highest
 *      existing part, nothing is retired (existing parts are never overwritten);
 *   2. write `_publish.json` {runType, moves, retire}: the COMMIT POINT;
 *   3. move each staged part to its final name (rename locally; server-side copy + delete in Blob);
 *   4. delete the retired parts;
 *   5. delete this run's staging folder (the record goes with it).
 *
 * Settling a record found later (a crash between 2 and 5), so that the rerun ends in the
 * state an uninterrupted rerun would give:
 *   - full_drop rolls FORWARD: move what is still staged, delete what is retired. (Moves may
 *     have overwritten old parts of the same name, so going back is impossible; going forward
 *     is always possible because a staged part exists until it has been moved.) The rerun then
 *     replaces it all with its own parts anyway.
 *   - incremental rolls BACK: delete every final name in `moves` (they were free when the
 *     record was written, so whatever is there came from this publish) and drop the staging.
 *     The crashed run did not complete, so its watermark was not saved and the rerun reads the
 *     same rows again; rolling forward would add them twice.
 * A crash before 2 leaves only a staging folder without a record: deleted, data untouched.
 * Every step is idempotent (moves check the source, deletes ignore missing objects), so a
 * crash while settling is settled again by the next run.
 *
 * Assumes one run at a time per destination (the engine never overlaps runs of an entity).
 */
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { RunType } from '../config/schema';
import type { ObjectStore } from '../storage/objectStore';
import { asFolderPrefix, baseName, joinKey } from '../storage/keys';

export const STAGING_FOLDER = '_hygge_staging';
const RECORD_NAME = '_publish.json';
const STAGED_SUFFIX = '.staged';
const PART_PATTERN = /^part-(\d+)\.parquet$/;

export interface PublishRecord {
  version: 1;
  runId: string;
  runType: RunType;
  moves: { from: string; to: string }[];
  retire: string[];
}

/** Steps reported to `onStep`, in order: lets tests stop a publish at any point. */
export type PublishStep = 'recovered' | 'committed' | `moved:${number}` | `retired:${number}` | 'cleaned';

export interface PublishHooks {
  onStep?(step: PublishStep): void | Promise<void>;
}

export function partName(index: number): string {
  return `part-${String(index).padStart(5, '0')}.parquet`;
}

export function stagingFolder(target: string, runId: string): string {
  return asFolderPrefix(joinKey(target, STAGING_FOLDER, runId));
}

export function stagedPartKey(target: string, runId: string, index: number): string {
  return `${stagingFolder(target, runId)}${partName(index)}${STAGED_SUFFIX}`;
}

/** Steps 0–5 above. `staged` are this run's staged part keys, in order. */
export async function publishParts(
  store: ObjectStore,
  target: string,
  runId: string,
  runType: RunType,
  staged: string[],
  hooks: PublishHooks = {},
): Promise<void> {
  const step = async (s: PublishStep) => hooks.onStep?.(s);
  await recoverDestination(store, target, runId);
  await step('recovered');

  const record = await planPublish(store, target, runId, runType, staged);
  await writeRecord(store, target, record);
  await step('committed');

  for (const [i, move] of record.moves.entries()) {
    await store.move(move.from, move.to);
    await step(`moved:${i}`);
  }
  for (const [i, key] of record.retire.entries()) {
    await store.delete(key);
    await step(`retired:${i}`);
  }
  await store.deletePrefix(stagingFolder(target, runId));
  await step('cleaned');
}

/**
 * After a failed publish or stage: drop this run's staging. If the commit point was passed,
 * settle the record instead (see above), so the destination is consistent right away.
 */
export async function discardRun(store: ObjectStore, target: string, runId: string): Promise<void> {
  const record = await readRecord(store, recordKey(target, runId));
  if (record) await settleRecord(store, target, record);
  else await store.deletePrefix(stagingFolder(target, runId));
}

/** Step 0: settle crashed publishes, drop abandoned staging of other runs. */
export async function recoverDestination(store: ObjectStore, target: string, currentRunId: string): Promise<void> {
  const stagingRoot = asFolderPrefix(joinKey(target, STAGING_FOLDER));
  const runIds = new Set<string>();
  for (const object of await store.list(stagingRoot)) {
    const runId = object.key.slice(stagingRoot.length).split('/')[0];
    if (runId && runId !== currentRunId) runIds.add(runId);
  }
  for (const runId of [...runIds].sort()) {
    const record = await readRecord(store, recordKey(target, runId));
    if (record) await settleRecord(store, target, record);
    else await store.deletePrefix(stagingFolder(target, runId));
  }
}

async function planPublish(store: ObjectStore, target: string, runId: string, runType: RunType, staged: string[]): Promise<PublishRecord> {
  const folder = asFolderPrefix(target);
  const existing = (await store.list(folder))
    .map((o) => o.key)
    .filter((key) => !key.slice(folder.length).includes('/') && key.endsWith('.parquet'));
  let first = 0;
  if (runType === 'incremental') {
    for (const key of existing) {
      const m = PART_PATTERN.exec(baseName(key));
      if (m) first = Math.max(first, Number(m[1]) + 1);
    }
  }
  const moves = staged.map((from, i) => ({ from, to: `${folder}${partName(first + i)}` }));
  const newKeys = new Set(moves.map((m) => m.to));
  const retire = runType === 'full_drop' ? existing.filter((key) => !newKeys.has(key)) : [];
  // incremental never overwrites; numbering after the highest part guarantees it, this guards it
  const taken = runType === 'incremental' ? moves.find((m) => existing.includes(m.to)) : undefined;
  if (taken) throw new Error(`internal: an incremental publish would overwrite ${taken.to}`);
  return { version: 1, runId, runType, moves, retire };
}

async function settleRecord(store: ObjectStore, target: string, record: PublishRecord): Promise<void> {
  if (record.runType === 'full_drop') {
    for (const move of record.moves) if (await store.exists(move.from)) await store.move(move.from, move.to);
    for (const key of record.retire) await store.delete(key);
  } else {
    for (const move of record.moves) await store.delete(move.to);
  }
  await store.deletePrefix(stagingFolder(target, record.runId));
}

function recordKey(target: string, runId: string): string {
  return `${stagingFolder(target, runId)}${RECORD_NAME}`;
}

async function writeRecord(store: ObjectStore, target: string, record: PublishRecord): Promise<void> {
  await store.write(recordKey(target, record.runId), Readable.from([Buffer.from(JSON.stringify(record, null, 2))]));
}

async function readRecord(store: ObjectStore, key: string): Promise<PublishRecord | undefined> {
  if (!(await store.exists(key))) return undefined;
  const copy = await store.localCopy(key);
  try {
    return JSON.parse(await readFile(copy.path, 'utf8')) as PublishRecord;
  } finally {
    await copy.release();
  }
}
