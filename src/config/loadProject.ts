/**
 * Loads a project folder: hygge.yml, then every flows/<flow>/flow.yml with its entity files.
 * Every problem in every file is collected and reported together as one HyggeError
 * (CONFIG_INVALID, or CONFIG_VARIABLE_UNSET when unset variables are the only problem).
 */
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { HyggeError } from '../errors';
import type { FlowConfig, ProjectConfig } from './project';
import { ProjectFileSchema } from './schema';
import { checkOptionsConnections, checkScheduleTargets } from './checkReferences';
import { loadFlow } from './loadFlow';
import { isPlainObject } from './mergeLayers';
import { ProblemList } from './problems';
import { readConfigFile, validateFile } from './readConfigFile';

export const PROJECT_FILE = 'hygge.yml';

export interface LoadOptions {
  /** `--var key=value`: wins over the environment */
  vars?: Record<string, string>;
  /** defaults to process.env */
  env?: NodeJS.ProcessEnv;
}

export async function loadProject(dir: string, opts: LoadOptions = {}): Promise<ProjectConfig> {
  const root = path.resolve(dir);
  const projectAbs = path.join(root, PROJECT_FILE);
  if (!existsSync(projectAbs)) {
    throw new HyggeError('CONFIG_NOT_FOUND', `no ${PROJECT_FILE} in ${root}`, {
      hint: `Run "hygge init ${dir}" to create a sample project there, or point at an existing project with --project <dir>.`,
      context: { file: projectAbs },
    });
  }

  const problems = new ProblemList();
  const sources = { vars: opts.vars, env: opts.env ?? process.env };
  const doc = await readConfigFile(projectAbs, PROJECT_FILE, sources, problems);
  const project = validateFile(ProjectFileSchema, doc, problems);

  // Flows are read even when hygge.yml has problems, so every problem is reported in one go.
  const raw = isPlainObject(doc.raw) ? doc.raw : {};
  const flowsDirName = project?.flows_dir ?? (typeof raw.flows_dir === 'string' ? raw.flows_dir : 'flows');
  const flowsDir = path.resolve(root, flowsDirName);
  const flows: Record<string, FlowConfig> = {};
  if (existsSync(flowsDir) && statSync(flowsDir).isDirectory()) {
    const ctx = { root, sources, problems, connections: project?.connections };
    const folders = (await readdir(flowsDir, { withFileTypes: true }))
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
    for (const folder of folders) {
      const flow = await loadFlow(path.join(flowsDir, folder), ctx);
      if (flow) flows[flow.name] = flow;
    }
  } else if (raw.flows_dir !== undefined) {
    problems.add({ file: PROJECT_FILE, keyPath: ['flows_dir'], message: `folder "${flowsDirName}" does not exist`, code: 'CONFIG_INVALID' });
  }

  if (project) {
    for (const p of checkOptionsConnections(project.options, project.connections, PROJECT_FILE)) problems.add(p);
    for (const p of checkScheduleTargets(project.schedules, flows, PROJECT_FILE)) problems.add(p);
  }
  problems.throwIfAny();
  if (!project) throw new HyggeError('INTERNAL', `${PROJECT_FILE} is invalid but no problem was recorded`);

  return {
    dir: root,
    name: project.name,
    options: project.options,
    connections: project.connections,
    schedules: project.schedules,
    flows,
  };
}
