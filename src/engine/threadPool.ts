/**
 * The entity threads of one local run, each started when the first job is sent to it.
 *
 * Not piscina: a run needs to address a particular thread (connection affinity, see
 * scheduler.ts), stream progress back, and tell every thread to close its pools at the end,
 * none of which a task-queue pool offers.
 *
 * Threads load the compiled JavaScript when it exists (dist/), and the TypeScript source
 * through ts-node otherwise (development, tests).
 */
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from './spawnWorker';
import type { FromThread, ToThread } from './threadMessages';

export class ThreadPool {
  /** started on the first job sent to them: a thread that no job needs costs nothing */
  private readonly workers: (Worker | undefined)[];
  private readonly exited: Promise<void>[] = [];

  constructor(
    size: number,
    private readonly onMessage: (thread: number, message: FromThread) => void,
    private readonly onCrash: (thread: number, error: Error) => void,
  ) {
    this.workers = new Array<Worker | undefined>(size).fill(undefined);
  }

  /** threads started so far */
  get started(): number {
    return this.workers.filter((w) => w !== undefined).length;
  }

  send(thread: number, message: ToThread): void {
    (this.workers[thread] ??= this.spawn(thread)).postMessage(message);
  }

  /** to every started thread */
  broadcast(message: ToThread): void {
    for (const worker of this.workers) worker?.postMessage(message);
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w?.terminate()));
    await Promise.all(this.exited);
  }

  private spawn(index: number): Worker {
    const worker = createEntityWorker();
    worker.on('message', (message: FromThread) => this.onMessage(index, message));
    worker.on('error', (error) => this.onCrash(index, error));
    this.exited.push(new Promise<void>((resolve) => worker.once('exit', () => resolve())));
    return worker;
  }
}

function createEntityWorker(): Worker {
  return spawnWorker(path.join(__dirname, 'entityThread'));
}
