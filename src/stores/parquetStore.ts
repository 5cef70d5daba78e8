/**
 * Parquet files as a destination, on local disk or in Blob.
 *
 * Batches are encoded as they arrive (parquet-wasm `transformParquetStream`) and streamed into
 * staged parts of at most `rows_per_file` rows; nothing is visible until `publish()`.
 *
 * Publishing protocol (implemented and argued in src/parquet/publishProtocol.ts):
 *   stage    → `<path>/_hygge_staging/<runId>/part-NNNNN.parquet.staged` (not `*.parquet`,
 *              in a `_` folder: invisible to readers of `<path>/*.parquet`)
 *   publish  → 0 settle records of earlier crashed runs · 1 plan (full_drop: part-00000… and
 *              retire every other `*.parquet`; incremental: number after the highest part) ·
 *              2 write `_publish.json` (commit point) · 3 move parts in · 4 delete retired ·
 *              5 delete the staging folder
 *   crash before 2 → old data untouched, staging removed by the next run;
 *   crash after 2  → the next run settles the record: full_drop rolls forward, incremental
 *              rolls back; either way the rerun ends where an uninterrupted run would.
 *   discard / failure inside stage → this run's staging is removed (or, after the commit
 *              point, the record is settled at once).
 */
import type { RecordBatch } from 'apache-arrow';
import type { Options, ParquetStoreConfig, RunType } from '../config/schema';
import type { RunResources } from '../engine/runResources';
import { HyggeError, cancelledError, toHyggeError, type ErrorContext } from '../errors';
import type { EntityContext } from '../homes/home';
import type { ParquetEncoderThread } from '../parquet/offThreadEncoder';
import { discardRun, publishParts, stagedPartKey, type PublishHooks } from '../parquet/publishProtocol';
import { splitIntoParts } from '../parquet/splitIntoParts';
import type { ParquetWriteSettings } from '../parquet/writerProperties';
import type { EntityJob } from '../plan/job';
import { normaliseKey } from '../storage/keys';
import type { ObjectStore } from '../storage/objectStore';
import { objectStoreFor } from '../storage/registry';
import { asDestinationError } from '../storage/storageErrors';
import type { StagedWrite, Store } from './store';

export interface ParquetStoreParams {
  objects: ObjectStore;
  /** the entity folder, final (`{entity}` substituted or appended by the plan) */
  path: string;
  runType: RunType;
  settings: ParquetWriteSettings;
  rowsPerFile: number;
  /** test seam: observe or interrupt the publish steps */
  hooks?: PublishHooks;
  /**
   * Encode on this encoder thread instead of in-thread (asked for on first use, so it starts
   * only when a file is written). For homes whose reading costs CPU of its own (SQL Server:
   * TDS decoding), so reading and encoding overlap; absent, encoding runs in-thread.
   */
  encoderThread?: () => ParquetEncoderThread;
}

const ENCODER_THREAD_KEY = 'parquet:encoder-thread';

export function createParquetStore(config: ParquetStoreConfig, job: EntityJob, resources: RunResources, options: Options): ParquetStore {
  return new ParquetStore({
    objects: objectStoreFor(resources, config.storage),
    path: config.path,
    runType: job.run_type,
    settings: {
      compression: config.compression ?? options.compression,
      rowGroupSize: config.row_group_size ?? options.row_group_size,
    },
    rowsPerFile: config.rows_per_file ?? options.rows_per_file,
    // Parquet → Parquet stays in-thread: reading Parquet is cheap next to encoding it, and it
    // scales by running entities on several threads, where an extra thread would only compete
    encoderThread: job.home.type !== 'parquet' ? () => sharedEncoderThread(resources) : undefined,
  });
}

/** One encoder thread per run and entity thread, shared by its entities, stopped when the run closes. */
function sharedEncoderThread(resources: RunResources): ParquetEncoderThread {
  return resources.shared(
    ENCODER_THREAD_KEY,
    () => new (offThreadEncoder().ParquetEncoderThread)(),
    (thread) => thread.terminate(),
  );
}

// loaded on first use, as the registry loads stores: a thread that only encodes off-thread
// never instantiates parquet-wasm itself, and vice versa
const inThreadEncoder = () => require('../parquet/parquetEncoder') as typeof import('../parquet/parquetEncoder');
const offThreadEncoder = () => require('../parquet/offThreadEncoder') as typeof import('../parquet/offThreadEncoder');

export class ParquetStore implements Store {
  private readonly target: string;

  constructor(private readonly params: ParquetStoreParams) {
    this.target = normaliseKey(params.path).replace(/\/+$/, '');
  }

  async stage(batches: AsyncIterable<RecordBatch>, ctx: EntityContext): Promise<StagedWrite> {
    const { objects, settings, rowsPerFile } = this.params;
    const encoderThread = this.params.encoderThread?.();
    const encode = (part: AsyncIterable<RecordBatch>) =>
      encoderThread ? encoderThread.encode(part, settings) : inThreadEncoder().encodeParquet(part, settings);
    const where: ErrorContext = { flow: ctx.flow, entity: ctx.entity, file: objects.describe(this.target) };
    const staged: string[] = [];
    let rows = 0;
    let bytes = 0;
    const counted = async function* (part: AsyncIterable<RecordBatch>) {
      for await (const batch of part) {
        if (ctx.signal?.aborted) throw cancelledError();
        rows += batch.numRows;
        yield batch;
      }
    };
    try {
      // a leftover of this same run (an earlier attempt whose discard failed) goes first
      await discardRun(objects, this.target, ctx.runId).catch((err) => Promise.reject(asDestinationError(err)));
      for await (const part of splitIntoParts(batches, rowsPerFile)) {
        const key = stagedPartKey(this.target, ctx.runId, staged.length);
        bytes += await objects.write(key, encode(counted(part)));
        staged.push(key);
      }
      if (ctx.signal?.aborted) throw cancelledError();
    } catch (err) {
      await discardRun(objects, this.target, ctx.runId).catch(() => {});
      throw asStoreError(err, where);
    }

    let published = false;
    return {
      rows,
      bytes,
      parts: staged.length,
      publish: async () => {
        try {
          await publishParts(objects, this.target, ctx.runId, this.params.runType, staged, this.params.hooks);
          published = true;
        } catch (err) {
          throw asStoreError(asDestinationError(err), where);
        }
      },
      discard: async () => {
        if (published) return;
        try {
          await discardRun(objects, this.target, ctx.runId);
        } catch (err) {
          // the next run settles what is left; do not hide the error that led here
          process.emitWarning(`could not clean up staged parts of ${objects.describe(this.target)}: ${(err as Error).message}`);
        }
      },
    };
  }
}

function asStoreError(err: unknown, where: ErrorContext): HyggeError {
  return toHyggeError(err, where, 'writing Parquet');
}
