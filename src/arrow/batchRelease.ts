/**
 * Handing a batch's memory back to whoever made it. A producer that fills a fresh set of
 * arrays per batch (the TDS row decoder) registers how to take them back; the consumer that
 * is provably the last reader of a batch (an encoder that has just copied it out) releases
 * it, and the producer fills the same arrays again instead of allocating new ones. Without
 * this, every batch becomes garbage that each thread's collector frees late and glibc then
 * keeps in that thread's arena (see IpcBufferPool).
 *
 * Only the batch object the producer registered can be released: a slice of it (which shares
 * its arrays) is not registered, so it is never handed back while something still reads it.
 * A batch nobody releases is simply garbage, as before.
 */
import type { RecordBatch } from 'apache-arrow';

const takeBack = new WeakMap<RecordBatch, () => void>();

/** `giveBack` runs when `batch` is released */
export function onRelease(batch: RecordBatch, giveBack: () => void): void {
  takeBack.set(batch, giveBack);
}

/**
 * The caller holds the last reference to `batch` that is still read, and is done with it.
 * Call it only where that is certain: the batch's arrays are written over afterwards.
 */
export function releaseBatch(batch: RecordBatch): void {
  const giveBack = takeBack.get(batch);
  if (!giveBack) return;
  takeBack.delete(batch);
  giveBack();
}
