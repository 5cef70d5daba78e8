/**
 * Everything an entity run needs besides its job: the project, the run's shared resources
 * (pools, clients) and the journal. One per run per thread; `close()` releases the pools.
 */
import type { ProjectConfig } from '../config/project';
import { objectStoreFor } from '../storage/registry';
import { Journal } from './journal';
import { RunResources } from './runResources';

export interface EntityRunEnv {
  project: ProjectConfig;
  runId: string;
  resources: RunResources;
  journal: Journal;
}

export function openRunEnv(project: ProjectConfig, runId: string): EntityRunEnv & { close(): Promise<void> } {
  const resources = new RunResources(project);
  const state = project.options.state;
  const journal =
    typeof state === 'string'
      ? new Journal(objectStoreFor(resources, undefined), state)
      : new Journal(objectStoreFor(resources, state.storage), state.path);
  return { project, runId, resources, journal, close: () => resources.close() };
}
