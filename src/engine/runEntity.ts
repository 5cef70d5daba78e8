/**
 * One entity, home → store: stream batches, stage, publish, record. The same function runs
 * in the CLI's worker threads and in a Functions activity.
 *
 * Order matters for "nothing lost, nothing partial": the store stages everything first;
 * only a fully staged write is published; the watermark is saved after the publish, so a
 * crash in between re-reads rows on the next run instead of skipping them.
 *
 * Transient faults (errors marked `retryable`: throttling, failover, a dropped connection)
 * rerun the whole attempt after discarding what was staged: rows already handed to the store
 * cannot be taken back, so the entity is the smallest unit that is safe to repeat for a read.
 * Stores retry smaller units (a bulk-load batch) themselves where that is safe.
 */
import type { RecordBatch } from 'apache-arrow';
import { backOff } from 'exponential-backoff';
import type { RetryPolicy } from '../config/schema';
import { HyggeError, cancelledError, toHyggeError } from '../errors';
import { backoffOptions } from './backoffOptions';
import type { EntityContext } from '../homes/home';
import type { EntityJob } from '../plan/job';
import { createHome, createStore } from './registry';
import type { EntityRunEnv } from './runEnv';
import type { EntitySummary } from './summary';

export interface EntityProgress {
  rows: number;
  bytes: number;
}

export interface RunEntityOptions {
  signal?: AbortSignal;
  onProgress?: (progress: EntityProgress) => void;
}

export async function runEntity(job: EntityJob, env: EntityRunEnv, opts: RunEntityOptions = {}): Promise<EntitySummary> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const base = { id: job.id, flow: job.flow, entity: job.entity };
  let summary: EntitySummary;
  try {
    const previousWatermark =
      job.run_type === 'incremental' ? await env.journal.lastWatermark(job.flow, job.entity) : undefined;
    const outcome = await withRetries(env.project.options.retry, opts.signal, () =>
      attempt(job, env, opts, previousWatermark),
    );
    const watermark = outcome.watermark ?? previousWatermark;
    if (job.run_type === 'incremental' && watermark !== undefined && watermark !== previousWatermark) {
      await env.journal.saveWatermark(job.flow, job.entity, watermark, env.runId);
    }
    summary = {
      ...base,
      status: 'succeeded',
      rows: outcome.rows,
      bytes: outcome.bytes,
      parts: outcome.parts,
      seconds: seconds(),
      ...(watermark !== undefined ? { watermark } : {}),
    };
  } catch (err) {
    const error = toHyggeError(err, { flow: job.flow, entity: job.entity });
    summary = { ...base, status: 'failed', rows: 0, bytes: 0, parts: 0, seconds: seconds(), error: error.toJSON() };
  }
  await recordQuietly(env, summary);
  return summary;
}

interface AttemptOutcome {
  rows: number;
  bytes: number;
  parts: number;
  watermark?: string;
}

/** One pass home → store: stage everything, then publish; on any failure nothing is visible. */
async function attempt(
  job: EntityJob,
  env: EntityRunEnv,
  opts: RunEntityOptions,
  previousWatermark: string | undefined,
): Promise<AttemptOutcome> {
  const ctx: EntityContext = {
    runId: env.runId,
    flow: job.flow,
    entity: job.entity,
    signal: opts.signal,
    ...(previousWatermark !== undefined ? { previousWatermark } : {}),
  };
  const home = createHome(job, env);
  const store = createStore(job, env);
  const staged = await store.stage(observe(home.read(ctx), opts), ctx);
  try {
    throwIfAborted(opts.signal);
    await staged.publish();
  } catch (err) {
    await staged.discard();
    throw err;
  }
  const watermark = home.watermark?.();
  return { rows: staged.rows, bytes: staged.bytes, parts: staged.parts, ...(watermark !== undefined ? { watermark } : {}) };
}

/** Retries `fn` on retryable HyggeErrors, per the project's retry policy. */
function withRetries<T>(policy: RetryPolicy, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  return backOff(fn, backoffOptions(policy, (err) => err instanceof HyggeError && err.retryable && !signal?.aborted));
}

/** Counts rows for progress and stops the stream promptly when the run is cancelled. */
async function* observe(batches: AsyncIterable<RecordBatch>, opts: RunEntityOptions): AsyncIterable<RecordBatch> {
  let rows = 0;
  let bytes = 0;
  for await (const batch of batches) {
    throwIfAborted(opts.signal);
    rows += batch.numRows;
    bytes += batchBytes(batch);
    opts.onProgress?.({ rows, bytes });
    yield batch;
  }
  throwIfAborted(opts.signal);
}

function batchBytes(batch: RecordBatch): number {
  let total = 0;
  for (const child of batch.data.children) total += child.byteLength;
  return total;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw cancelledError();
  }
}

/** The journal is a record, not the data: failing to write it must not fail the entity. */
async function recordQuietly(env: EntityRunEnv, summary: EntitySummary): Promise<void> {
  try {
    await env.journal.record(env.runId, summary);
  } catch (err) {
    process.emitWarning(`could not write the journal record for ${summary.id}: ${(err as Error).message}`);
  }
}
