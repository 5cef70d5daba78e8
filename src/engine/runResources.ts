/**
 * What one run shares between its entities in one thread: SQL pools, object-store clients,
 * credentials. The engine does not know what they are; each family (Blob, SQL Server) keeps
 * its own under a key, created on first use and disposed when the run closes, so nothing
 * leaks past the run.
 */
import type { ProjectConfig } from '../config/project';

interface Entry {
  value: unknown;
  dispose: () => Promise<void> | void;
}

export class RunResources {
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  constructor(readonly project: ProjectConfig) {}

  /** The value under `key`, created by `create` the first time it is asked for. */
  shared<T>(key: string, create: () => T, dispose: (value: T) => Promise<void> | void): T {
    if (this.closed) throw new Error(`run resources are closed; cannot open ${key}`);
    const found = this.entries.get(key);
    if (found) return found.value as T;
    const value = create();
    this.entries.set(key, { value, dispose: () => dispose(value) });
    return value;
  }

  /** Disposes everything, newest first; every disposer runs even if one fails. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const failures: unknown[] = [];
    for (const entry of [...this.entries.values()].reverse()) {
      try {
        await entry.dispose();
      } catch (err) {
        failures.push(err);
      }
    }
    this.entries.clear();
    if (failures.length > 0) throw new AggregateError(failures, 'closing run resources failed');
  }
}
