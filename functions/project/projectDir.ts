/**
 * Where the hygge project (hygge.yml + flows/) is: HYGGE_PROJECT_DIR, or `project/` beside
 * the app root (the folder with host.json), which is where the deployment package puts it.
 * The app root is found from this file, so it is the same from dist/ and from ts-node.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export function projectDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.HYGGE_PROJECT_DIR?.trim();
  if (configured) return resolve(appRoot(), configured);
  return join(appRoot(), 'project');
}

export function appRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'host.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}
