/**
 * A fixed set of entity threads for one local run.
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
  private readonly workers: Worker[];
  private readonly exited: Promise<void>[];

  constructor(
    size: number,
    private readonly onMessage: (thread: number, message: FromThread) => void,
    private readonly onCrash: (thread: number, error: Error) => void,
  ) {
    this.workers = Array.from({ length: size }, (_, i) => this.spawn(i));
    this.exited = this.workers.map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
  }

  get size(): number {
    return this.workers.length;
  }

  send(thread: number, message: ToThread): void {
    this.workers[thread]!.postMessage(message);
  }

  broadcast(message: ToThread): void {
    for (let t = 0; t < this.workers.length; t++) this.send(t, message);
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    await Promise.all(this.exited);
  }

  private spawn(index: number): Worker {
    const worker = createEntityWorker();
    worker.on('message', (message: FromThread) => this.onMessage(index, message));
    worker.on('error', (error) => this.onCrash(index, error));
    return worker;
  }
}

function createEntityWorker(): Worker {
  return spawnWorker(path.join(__dirname, 'entityThread'));
}
