/**
 * One EntityRunEnv per run per process, shared by the run's entities that land on this
 * instance (so they share pools and clients the way the CLI's entities do). Nothing tells an
 * activity that its run has ended, so an env closes itself after a quiet spell, and the
 * oldest is closed when too many runs are open at once.
 */
import type { ProjectConfig } from '../../src/config/project';
import type { EntityRunEnv } from '../../src/engine/runEnv';
import { openRunEnv } from '../../src/engine/runEnv';

type OpenEnv = EntityRunEnv & { close(): Promise<void> };

interface Entry {
  env: OpenEnv;
  idle?: NodeJS.Timeout;
  inUse: number;
}

export const RUN_ENV_IDLE_MS = 5 * 60_000;
const MAX_OPEN_RUNS = 8;

const open = new Map<string, Entry>();

/** Runs `work` with the run's env, opening it on first use. */
export async function withRunEnv<T>(project: ProjectConfig, runId: string, work: (env: EntityRunEnv) => Promise<T>): Promise<T> {
  let entry = open.get(runId);
  if (!entry) {
    entry = { env: openRunEnv(project, runId), inUse: 0 };
    open.set(runId, entry);
    evictBeyondLimit();
  }
  if (entry.idle) clearTimeout(entry.idle);
  entry.inUse++;
  try {
    return await work(entry.env);
  } finally {
    entry.inUse--;
    if (entry.inUse === 0) scheduleClose(runId, entry);
  }
}

function scheduleClose(runId: string, entry: Entry): void {
  entry.idle = setTimeout(() => void closeRun(runId), RUN_ENV_IDLE_MS);
  entry.idle.unref();
}

function evictBeyondLimit(): void {
  for (const [runId, entry] of open) {
    if (open.size <= MAX_OPEN_RUNS) return;
    if (entry.inUse === 0) void closeRun(runId);
  }
}

async function closeRun(runId: string): Promise<void> {
  const entry = open.get(runId);
  if (!entry || entry.inUse > 0) return;
  open.delete(runId);
  if (entry.idle) clearTimeout(entry.idle);
  try {
    await entry.env.close();
  } catch (err) {
    process.emitWarning(`closing the resources of run ${runId} failed: ${(err as Error).message}`);
  }
}

/** Closes every open env (tests, and the host's app-terminate hook). */
export async function closeAllRunEnvs(): Promise<void> {
  await Promise.all([...open.keys()].map((runId) => closeRun(runId)));
}
