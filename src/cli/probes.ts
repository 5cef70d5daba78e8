/**
 * Checks `hygge debug` runs: one probe per connection type, and probes for the paths homes
 * and stores use. Each answers with a ProbeResult (✓/✗/– and a hint) instead of throwing,
 * so debug can run every check and report them all.
 *
 * Probes exist for `blob` and `mssql`; a type without one is reported as "not checked".
 */
import { constants as fsConstants, existsSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ProjectConfig } from '../config/project';
import type { ConnectionConfig } from '../config/schema';
import { probeMssqlConnection } from '../connections/mssql/probe';
import { RunResources } from '../engine/runResources';
import { toHyggeError } from '../errors';
import { globBase, isGlob } from '../storage/glob';
import { objectStoreFor } from '../storage/registry';

export type ProbeStatus = 'ok' | 'failed' | 'not_checked';

export interface ProbeResult {
  status: ProbeStatus;
  /** what was found, e.g. `reached https://acct.blob.core.windows.net/raw` */
  detail: string;
  /** what to do when it failed */
  hint?: string;
}

type ConnectionType = ConnectionConfig['type'];
export type ConnectionProbe<T extends ConnectionType = ConnectionType> = (
  name: string,
  config: Extract<ConnectionConfig, { type: T }>,
  project: ProjectConfig,
) => Promise<ProbeResult>;

/** Whether a path is read from (a home) or written to (a store, the state folder). */
export type PathAccess = 'read' | 'write';

const connectionProbes: { [T in ConnectionType]?: ConnectionProbe<T> } = {};

export function registerConnectionProbe<T extends ConnectionType>(type: T, probe: ConnectionProbe<T>): void {
  (connectionProbes as Record<string, unknown>)[type] = probe;
}

export async function probeConnection(name: string, config: ConnectionConfig, project: ProjectConfig): Promise<ProbeResult> {
  const probe = connectionProbes[config.type] as ConnectionProbe | undefined;
  if (!probe) return { status: 'not_checked', detail: `not checked: this build has no ${config.type} connection check` };
  try {
    return await probe(name, config, project);
  } catch (err) {
    return failed(err);
  }
}

function failed(err: unknown): ProbeResult {
  const e = toHyggeError(err);
  return { status: 'failed', detail: e.message, hint: e.hint };
}

/** With a per-probe RunResources, closed afterwards, so a probe leaves no client open. */
async function withResources<T>(project: ProjectConfig, use: (resources: RunResources) => Promise<T>): Promise<T> {
  const resources = new RunResources(project);
  try {
    return await use(resources);
  } finally {
    await resources.close();
  }
}

/**
 * Reaches the container by listing a prefix nothing uses: cheap on any container, and unlike a
 * HEAD on a blob (404 either way) it tells a missing container from a missing blob.
 */
export const probeBlobConnection: ConnectionProbe<'blob'> = (name, _config, project) =>
  withResources(project, async (resources) => {
    const store = objectStoreFor(resources, name);
    await store.list('.hygge-debug-probe/');
    return { status: 'ok', detail: `reached ${store.location}` };
  });

registerConnectionProbe('blob', probeBlobConnection);

/** SQL Server: logs in the way a run would and asks for the version (src/connections/mssql/probe.ts). */
registerConnectionProbe('mssql', async (name, config, project) => {
  const r = await probeMssqlConnection(name, config, project);
  return { status: r.ok ? 'ok' : 'failed', detail: r.message, ...(r.hint ? { hint: r.hint } : {}) };
});

/**
 * A local path, relative to the project: for reading it (or a glob's fixed part) must exist;
 * for writing, it or the nearest folder above it that exists must be writable.
 */
export async function probeLocalPath(target: string, mode: PathAccess, project: ProjectConfig): Promise<ProbeResult> {
  const fixed = isGlob(target) ? globBase(target) || '.' : target;
  const abs = path.resolve(project.dir, fixed);
  const shown = path.relative(project.dir, abs) || '.';
  try {
    if (mode === 'read') {
      if (!existsSync(abs)) {
        return { status: 'failed', detail: `${shown} does not exist`, hint: 'Check home.path: local paths are relative to the folder holding hygge.yml.' };
      }
      await access(abs, fsConstants.R_OK);
      return { status: 'ok', detail: `${shown} exists${(await stat(abs)).isDirectory() ? ' (folder)' : ''}` };
    }
    let existing = abs;
    while (!existsSync(existing)) existing = path.dirname(existing);
    if (!(await stat(existing)).isDirectory() && existing !== abs) {
      return { status: 'failed', detail: `${path.relative(project.dir, existing)} is a file, so ${shown} cannot be created`, hint: 'Point the path at a folder.' };
    }
    try {
      await access(existing, fsConstants.W_OK);
    } catch {
      return { status: 'failed', detail: `${path.relative(project.dir, existing) || '.'} is not writable`, hint: 'Fix the folder permissions or choose another path.' };
    }
    return { status: 'ok', detail: existing === abs ? `${shown} is writable` : `${shown} will be created (${path.relative(project.dir, existing) || '.'} is writable)` };
  } catch (err) {
    return failed(err);
  }
}

/** A path in a blob connection: for reading there must be objects under it; for writing the container must be reachable. */
export async function probeBlobPath(storage: string, target: string, mode: PathAccess, project: ProjectConfig): Promise<ProbeResult> {
  try {
    return await withResources(project, async (resources) => {
      const store = objectStoreFor(resources, storage);
      const prefix = isGlob(target) ? globBase(target) : target;
      const objects = await store.list(prefix);
      if (mode === 'read' && objects.length === 0) {
        return { status: 'failed', detail: `nothing under ${store.describe(prefix)}`, hint: 'Check home.path and home.storage, and that the source files were uploaded.' };
      }
      const found = objects.length === 1 ? '1 object' : `${objects.length} objects`;
      return { status: 'ok', detail: mode === 'read' ? `${found} under ${store.describe(prefix)}` : `${store.describe(prefix)} reachable (${found} there now)` };
    });
  } catch (err) {
    return failed(err);
  }
}
