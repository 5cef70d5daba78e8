/**
 * The deployed environment's names, for the post-deploy tasks: from `pulumi stack output`,
 * or from environment variables when Pulumi is not at hand (CI, or a database you made by
 * hand): HYGGE_SQL_SERVER, HYGGE_SQL_DATABASE, HYGGE_FUNCTION_APP.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export interface DeployedEnvironment {
  sqlServerFqdn: string;
  sqlDatabaseName: string;
  functionAppName: string;
}

export function deployedEnvironment(env: NodeJS.ProcessEnv = process.env): DeployedEnvironment {
  const fromEnv = {
    sqlServerFqdn: env.HYGGE_SQL_SERVER,
    sqlDatabaseName: env.HYGGE_SQL_DATABASE,
    functionAppName: env.HYGGE_FUNCTION_APP,
  };
  if (fromEnv.sqlServerFqdn && fromEnv.sqlDatabaseName && fromEnv.functionAppName) {
    return fromEnv as DeployedEnvironment;
  }
  let outputs: Record<string, unknown>;
  try {
    const json = execFileSync('pulumi', ['stack', 'output', '--json'], {
      cwd: resolve(__dirname, '..'),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    outputs = JSON.parse(json) as Record<string, unknown>;
  } catch (err) {
    throw new Error(
      `could not read the stack outputs with "pulumi stack output --json" in infra/ (${(err as Error).message.split('\n')[0]}). ` +
        'Run "pulumi up" first, or set HYGGE_SQL_SERVER, HYGGE_SQL_DATABASE and HYGGE_FUNCTION_APP.',
    );
  }
  const read = (key: keyof DeployedEnvironment) => {
    const value = fromEnv[key] ?? outputs[key];
    if (typeof value !== 'string' || value.length === 0) throw new Error(`the stack has no output "${key}"; run "pulumi up" in infra/`);
    return value;
  };
  return { sqlServerFqdn: read('sqlServerFqdn'), sqlDatabaseName: read('sqlDatabaseName'), functionAppName: read('functionAppName') };
}
