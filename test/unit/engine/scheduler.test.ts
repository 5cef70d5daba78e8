import { Scheduler } from '../../../src/engine/scheduler';
import type { EntityJob, Plan } from '../../../src/plan/job';

function job(id: string, connections: string[]): EntityJob {
  return {
    id,
    flow: 'f',
    entity: id,
    home: { type: 'parquet', path: 'x' },
    store: { type: 'parquet', path: 'y' },
    run_type: 'full_drop',
    connections,
  };
}

/** Seeded PRNG so a failure reproduces. */
function prng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

describe('Scheduler', () => {
  it('never exceeds a connection cap or the overall concurrency, and runs every job once (random plans)', () => {
    const rand = prng(42);
    for (let round = 0; round < 200; round++) {
      const connections = ['a', 'b', 'c', 'd'].slice(0, 1 + Math.floor(rand() * 4));
      const caps = Object.fromEntries(connections.map((c) => [c, 1 + Math.floor(rand() * 3)]));
      const jobs = Array.from({ length: 1 + Math.floor(rand() * 30) }, (_, i) => {
        const used = connections.filter(() => rand() < 0.35);
        return job(`j${i}`, used);
      });
      const plan: Plan = { runId: 'r', project: 'p', jobs, caps, concurrency: 1 + Math.floor(rand() * 6) };
      const threads = 1 + Math.floor(rand() * 3);
      const s = new Scheduler(plan, threads);
      const running: Array<{ job: EntityJob; thread: number }> = [];
      const ran: string[] = [];
      const threadOf = new Map<string, number>();
      while (!s.done) {
        for (let n = s.next(); n; n = s.next()) {
          running.push(n);
          ran.push(n.job.id);
          for (const c of n.job.connections) {
            // affinity: a connection always runs on the same thread
            expect(threadOf.get(c) ?? n.thread).toBe(n.thread);
            threadOf.set(c, n.thread);
          }
        }
        expect(running.length).toBeLessThanOrEqual(plan.concurrency);
        for (const c of connections) {
          expect(running.filter((r) => r.job.connections.includes(c)).length).toBeLessThanOrEqual(caps[c]!);
        }
        expect(running.length).toBeGreaterThan(0); // progress is always possible
        const finished = running.splice(Math.floor(rand() * running.length), 1)[0]!;
        s.finished(finished.job, finished.thread);
      }
      expect(ran.sort()).toEqual(jobs.map((j) => j.id).sort());
    }
  });

  it('spreads jobs without connections over threads', () => {
    const plan: Plan = { runId: 'r', project: 'p', jobs: [job('a', []), job('b', []), job('c', []), job('d', [])], caps: {}, concurrency: 4 };
    const s = new Scheduler(plan, 2);
    const threads = [s.next()!, s.next()!, s.next()!, s.next()!].map((n) => n.thread);
    expect(threads.sort()).toEqual([0, 0, 1, 1]);
  });

  it('runs jobs up to a connection cap, then waits for one to finish', () => {
    const plan: Plan = { runId: 'r', project: 'p', jobs: [job('a', ['wh']), job('b', ['wh']), job('c', ['wh'])], caps: { wh: 2 }, concurrency: 8 };
    const s = new Scheduler(plan, 2);
    const first = s.next()!;
    expect(s.next()?.job.id).toBe('b');
    expect(s.next()).toBeUndefined();
    s.finished(first.job, first.thread);
    expect(s.next()?.job.id).toBe('c');
  });
});
