/**
 * Entity threads start when a job is first sent to them: a run whose jobs all go to one
 * thread (one pooled connection, by affinity) must not pay for the others.
 */
import { ThreadPool } from '../../../src/engine/threadPool';
import type { FromThread } from '../../../src/engine/threadMessages';

test('threads start on their first message, and only those are asked to close', async () => {
  const replies: [number, FromThread][] = [];
  let replied: () => void = () => {};
  const pool = new ThreadPool(3, (thread, message) => {
    replies.push([thread, message]);
    replied();
  }, (thread, error) => {
    throw new Error(`thread ${thread} crashed: ${error.message}`);
  });
  try {
    expect(pool.started).toBe(0);
    const answer = new Promise<void>((resolve) => (replied = resolve));
    pool.send(1, { type: 'close', runId: 'r1' });
    expect(pool.started).toBe(1);
    await answer;
    expect(replies).toEqual([[1, { type: 'closed', runId: 'r1' }]]);

    // a broadcast reaches the started thread only
    const again = new Promise<void>((resolve) => (replied = resolve));
    pool.broadcast({ type: 'close', runId: 'r2' });
    await again;
    expect(pool.started).toBe(1);
    expect(replies.map(([thread]) => thread)).toEqual([1, 1]);
  } finally {
    await pool.terminate();
  }
});
