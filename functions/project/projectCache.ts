/**
 * The project, loaded once per process and per set of variables (a run may pass `vars` for
 * `${VAR}` in the config). A failed load is not cached, so fixing hygge.yml needs no restart
 * of a warm instance.
 */
import type { ProjectConfig } from '../../src/config/project';
import { loadProject } from '../../src/config/loadProject';
import { projectDir } from './projectDir';

const loaded = new Map<string, Promise<ProjectConfig>>();

export function getProject(vars: Record<string, string> = {}): Promise<ProjectConfig> {
  const dir = projectDir();
  const key = JSON.stringify([dir, Object.entries(vars).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  let project = loaded.get(key);
  if (!project) {
    project = loadProject(dir, { vars, env: process.env });
    loaded.set(key, project);
    project.catch(() => loaded.delete(key));
  }
  return project;
}

/** For tests that point HYGGE_PROJECT_DIR somewhere else between cases. */
export function forgetProjects(): void {
  loaded.clear();
}
