/**
 * Runs a plan in this process: the CLI's engine. Jobs run on entity threads (so several
 * entities use several cores), scheduled under the plan's caps; one entity's failure does
 * not stop the others. With `workers: 0` every job runs on the calling thread instead.
 */
import { availableParallelism } from 'node:os';
import type { ProjectConfig } from '../config/project';
import type { EntityJob, Plan } from '../plan/job';
import type { EntityProgress } from './runEntity';
import { Scheduler } from './scheduler';
import type { EntitySummary } from './summary';
import { ThreadPool } from './threadPool';
import type { FromThread } from './threadMessages';

export interface RunEvents {
  onStart?(job: EntityJob): void;
  onProgress?(job: EntityJob, progress: EntityProgress): void;
  onFinish?(summary: EntitySummary): void;
}

export interface LocalRunOptions {
  /** entity threads; defaults to options.workers, else one per core up to the concurrency */
  workers?: number;
  signal?: AbortSignal;
}

export async function runPlanLocally(
  plan: Plan,
  project: ProjectConfig,
  events: RunEvents = {},
  opts: LocalRunOptions = {},
): Promise<EntitySummary[]> {
  const workers = Math.min(
    opts.workers ?? project.options.workers ?? availableParallelism(),
    plan.concurrency,
    Math.max(1, plan.jobs.length),
  );
  if (plan.jobs.length === 0) return [];
  return workers === 0
    ? runInThisThread(plan, project, events, opts.signal)
    : runOnThreads(plan, project, events, workers, opts.signal);
}

async function runInThisThread(
  plan: Plan,
  project: ProjectConfig,
  events: RunEvents,
  signal: AbortSignal | undefined,
): Promise<EntitySummary[]> {
  // loaded here, not at the top: with entity threads the main thread never runs an entity, and
  // the engine (Azure SDKs, mssql, parquet-wasm) would cost it ~60 MB for nothing
  const { openRunEnv } = require('./runEnv') as typeof import('./runEnv');
  const { runEntity } = require('./runEntity') as typeof import('./runEntity');
  const env = openRunEnv(project, plan.runId);
  const scheduler = new Scheduler(plan, 1);
  const summaries: EntitySummary[] = [];
  try {
    await new Promise<void>((resolve) => {
      const pump = () => {
        if (scheduler.done) return resolve();
        for (let next = scheduler.next(); next; next = scheduler.next()) {
          const { job, thread } = next;
          events.onStart?.(job);
          void runEntity(job, env, { signal, onProgress: (p) => events.onProgress?.(job, p) }).then((summary) => {
            scheduler.finished(job, thread);
            summaries.push(summary);
            events.onFinish?.(summary);
            pump();
          });
        }
      };
      pump();
    });
  } finally {
    await env.close();
  }
  return orderLikePlan(plan, summaries);
}

async function runOnThreads(
  plan: Plan,
  project: ProjectConfig,
  events: RunEvents,
  threads: number,
  signal: AbortSignal | undefined,
): Promise<EntitySummary[]> {
  const scheduler = new Scheduler(plan, threads);
  const summaries: EntitySummary[] = [];
  const inFlight = new Map<number, { job: EntityJob; thread: number }>();
  let nextTaskId = 0;
  let closing: { remaining: number; resolve: () => void; errors: string[] } | undefined;

  return new Promise<EntitySummary[]>((resolve, reject) => {
    const pool = new ThreadPool(threads, onMessage, onCrash);
    const cancelAll = () => {
      for (const [taskId, { thread }] of inFlight) pool.send(thread, { type: 'cancel', taskId });
    };
    signal?.addEventListener('abort', cancelAll, { once: true });

    function pump(): void {
      if (scheduler.done) return void finish();
      for (let next = scheduler.next(); next; next = scheduler.next()) {
        const taskId = nextTaskId++;
        inFlight.set(taskId, next);
        events.onStart?.(next.job);
        pool.send(next.thread, { type: 'run', taskId, runId: plan.runId, project, job: next.job });
        if (signal?.aborted) pool.send(next.thread, { type: 'cancel', taskId });
      }
    }

    function onMessage(_thread: number, message: FromThread): void {
      if (message.type === 'progress') {
        const task = inFlight.get(message.taskId);
        if (task) events.onProgress?.(task.job, { rows: message.rows, bytes: message.bytes });
      } else if (message.type === 'done') {
        const task = inFlight.get(message.taskId)!;
        inFlight.delete(message.taskId);
        scheduler.finished(task.job, task.thread);
        summaries.push(message.summary);
        events.onFinish?.(message.summary);
        pump();
      } else if (message.type === 'closed' && closing) {
        if (message.error) closing.errors.push(message.error);
        if (--closing.remaining === 0) closing.resolve();
      }
    }

    function onCrash(thread: number, error: Error): void {
      signal?.removeEventListener('abort', cancelAll);
      void pool.terminate().finally(() => reject(new Error(`entity thread ${thread} crashed: ${error.message}`)));
    }

    /** Every thread closes its pools, then the threads end. */
    function finish(): void {
      signal?.removeEventListener('abort', cancelAll);
      const closed = new Promise<void>((done) => {
        closing = { remaining: pool.started, resolve: done, errors: [] };
        if (pool.started === 0) done();
      });
      pool.broadcast({ type: 'close', runId: plan.runId });
      void closed
        .then(() => pool.terminate())
        .then(() => {
          if (closing!.errors.length > 0) process.emitWarning(`closing connections: ${closing!.errors.join('; ')}`);
          resolve(orderLikePlan(plan, summaries));
        }, reject);
    }

    pump();
  });
}

function orderLikePlan(plan: Plan, summaries: EntitySummary[]): EntitySummary[] {
  const order = new Map(plan.jobs.map((job, i) => [job.id, i]));
  return [...summaries].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}
