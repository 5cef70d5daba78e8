/**
 * The body of an entity worker thread: runs the jobs the runner sends it, each through the
 * same `runEntity` as everywhere else, with one run environment (pools, clients) per run
 * that lives until the runner says `close`, so pools are reused across the thread's jobs
 * and closed once, at the end of the run.
 */
import { parentPort } from 'node:worker_threads';
import { openRunEnv } from './runEnv';
import { runEntity } from './runEntity';
import type { FromThread, ToThread } from './threadMessages';

type RunEnvHandle = ReturnType<typeof openRunEnv>;

export function serveEntityThread(port: NonNullable<typeof parentPort>): void {
  const envs = new Map<string, RunEnvHandle>();
  const cancels = new Map<number, AbortController>();
  const send = (message: FromThread) => port.postMessage(message);

  port.on('message', (message: ToThread) => {
    switch (message.type) {
      case 'run': {
        let env = envs.get(message.runId);
        if (!env) {
          env = openRunEnv(message.project, message.runId);
          envs.set(message.runId, env);
        }
        const controller = new AbortController();
        cancels.set(message.taskId, controller);
        void runEntity(message.job, env, {
          signal: controller.signal,
          onProgress: throttle((p) => send({ type: 'progress', taskId: message.taskId, ...p }), 250),
        }).then((summary) => {
          cancels.delete(message.taskId);
          send({ type: 'done', taskId: message.taskId, summary });
        });
        break;
      }
      case 'cancel':
        cancels.get(message.taskId)?.abort();
        break;
      case 'close': {
        const env = envs.get(message.runId);
        envs.delete(message.runId);
        void (env ? env.close() : Promise.resolve()).then(
          () => send({ type: 'closed', runId: message.runId }),
          (err: unknown) => send({ type: 'closed', runId: message.runId, error: String(err) }),
        );
        break;
      }
    }
  });
}

/** Calls through at most once per `ms`, so progress does not flood the message channel. */
function throttle<T>(fn: (value: T) => void, ms: number): (value: T) => void {
  let last = 0;
  return (value) => {
    const now = performance.now();
    if (now - last >= ms) {
      last = now;
      fn(value);
    }
  };
}

if (parentPort) serveEntityThread(parentPort);
