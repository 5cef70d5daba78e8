/**
 * Which job runs next, and on which thread, in a local run. Pure logic, no threads here.
 *
 * Caps: a job starts only when every pooled connection it uses has fewer running jobs than
 * its pool_size, and fewer than `concurrency` jobs run in all.
 *
 * Affinity: every job that uses a pooled SQL connection runs on the one thread that owns
 * that connection (connections used together by a job are owned together), so each
 * connection has exactly one pool in the process, and `pool_size` bounds its sessions
 * without any cross-thread coordination. Jobs without a connection go to the least busy
 * thread.
 */
import type { EntityJob, Plan } from '../plan/job';

export class Scheduler {
  private readonly pending: EntityJob[];
  private readonly runningByConnection = new Map<string, number>();
  private readonly runningByThread: number[];
  private readonly threadOfConnection = new Map<string, number>();
  private running = 0;

  constructor(
    private readonly plan: Plan,
    threads: number,
  ) {
    this.pending = [...plan.jobs];
    this.runningByThread = new Array<number>(Math.max(1, threads)).fill(0);
    this.assignConnectionsToThreads();
  }

  get done(): boolean {
    return this.pending.length === 0 && this.running === 0;
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** The next job that may start now and the thread it runs on, or undefined. */
  next(): { job: EntityJob; thread: number } | undefined {
    if (this.running >= this.plan.concurrency) return undefined;
    const index = this.pending.findIndex((job) => this.fits(job));
    if (index < 0) return undefined;
    const [job] = this.pending.splice(index, 1) as [EntityJob];
    const thread = this.threadFor(job);
    this.running++;
    this.runningByThread[thread]!++;
    for (const c of job.connections) this.runningByConnection.set(c, (this.runningByConnection.get(c) ?? 0) + 1);
    return { job, thread };
  }

  finished(job: EntityJob, thread: number): void {
    this.running--;
    this.runningByThread[thread]!--;
    for (const c of job.connections) this.runningByConnection.set(c, this.runningByConnection.get(c)! - 1);
  }

  private fits(job: EntityJob): boolean {
    return job.connections.every((c) => (this.runningByConnection.get(c) ?? 0) < (this.plan.caps[c] ?? 1));
  }

  private threadFor(job: EntityJob): number {
    const owned = job.connections[0];
    if (owned !== undefined) return this.threadOfConnection.get(owned)!;
    let best = 0;
    for (let t = 1; t < this.runningByThread.length; t++) {
      if (this.runningByThread[t]! < this.runningByThread[best]!) best = t;
    }
    return best;
  }

  /** Union-find over connections used together; heaviest groups first onto the least loaded thread. */
  private assignConnectionsToThreads(): void {
    const parent = new Map<string, string>();
    const find = (c: string): string => {
      let root = c;
      while (parent.get(root) !== root) root = parent.get(root)!;
      parent.set(c, root);
      return root;
    };
    for (const job of this.plan.jobs) {
      for (const c of job.connections) if (!parent.has(c)) parent.set(c, c);
      for (const c of job.connections.slice(1)) parent.set(find(c), find(job.connections[0]!));
    }
    const weight = new Map<string, number>();
    for (const job of this.plan.jobs) {
      const first = job.connections[0];
      if (first !== undefined) weight.set(find(first), (weight.get(find(first)) ?? 0) + 1);
    }
    const load = new Array<number>(this.runningByThread.length).fill(0);
    const threadOfGroup = new Map<string, number>();
    for (const [group, w] of [...weight].sort((a, b) => b[1] - a[1])) {
      const thread = load.indexOf(Math.min(...load));
      threadOfGroup.set(group, thread);
      load[thread]! += w;
    }
    for (const c of parent.keys()) this.threadOfConnection.set(c, threadOfGroup.get(find(c))!);
  }
}
