/**
 * Typed arrays given back by released batches (batchRelease.ts), kept for the next batch of
 * any decoder on this thread: every entity thread decodes table after table with the same
 * batch size, so the same few array sizes recur and a run fills the same arrays over and over
 * instead of leaving a batch's worth of garbage per batch. Module state, so one pool per
 * thread, which is what a worker thread's module instance is.
 */

import type { ColumnArray } from '../../../arrow/columnAccumulators';

export type ColumnArrayType<A extends ColumnArray> = new (length: number) => A;

/**
 * What the pool keeps at most: a couple of batches' arrays. Batches in use are bounded
 * elsewhere (the Parquet encoder's batch slots), so more would only sit unused.
 */
const MAX_POOLED_BYTES = 16 * 2 ** 20;

const pooled = new Map<ColumnArrayType<ColumnArray>, Map<number, ColumnArray[]>>();
let pooledBytes = 0;

/**
 * An array of `type` and `length` (with `orLonger`, the shortest given-back one at least that
 * long: text columns' byte buffers grow as their batches need): a given-back one (contents
 * left as they were) or a new, zeroed one.
 */
export function takeArray<A extends ColumnArray>(type: ColumnArrayType<A>, length: number, orLonger = false): A {
  const bySize = pooled.get(type);
  let fits = bySize?.get(length);
  if (bySize && orLonger && !fits?.length) {
    let best = Infinity;
    for (const [size, arrays] of bySize) if (size >= length && size < best && arrays.length > 0) [best, fits] = [size, arrays];
  }
  const spare = fits?.pop() as A | undefined;
  if (!spare) return new type(length);
  pooledBytes -= spare.byteLength;
  return spare;
}

/** `array` is read by nobody any more */
export function giveArray(array: ColumnArray): void {
  if (pooledBytes + array.byteLength > MAX_POOLED_BYTES) return; // left to the garbage collector
  const type = array.constructor as ColumnArrayType<ColumnArray>;
  let bySize = pooled.get(type);
  if (!bySize) pooled.set(type, (bySize = new Map()));
  let arrays = bySize.get(array.length);
  if (!arrays) bySize.set(array.length, (arrays = []));
  arrays.push(array);
  pooledBytes += array.byteLength;
}
