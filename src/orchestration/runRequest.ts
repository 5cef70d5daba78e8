/**
 * The body of `POST /api/runs`: which flows/entities to run, the run type, and variables for
 * `${VAR}` in the project. Checked for shape here; checked against the project by buildPlan.
 */
import { z } from 'zod';
import { RunTypeSchema } from '../config/schema';
import { HyggeError } from '../errors';
import type { RunFilter } from '../plan/job';

export const RunRequestSchema = z.strictObject({
  flows: z.array(z.string().min(1)).optional(),
  entities: z.array(z.string().min(1)).optional(),
  run_type: RunTypeSchema.optional(),
  vars: z.record(z.string(), z.string()).optional(),
});

export interface RunRequest {
  filter: RunFilter;
  vars: Record<string, string>;
}

/** The request, or a FILTER_INVALID HyggeError saying what is wrong with the body. */
export function parseRunRequest(body: unknown): RunRequest {
  const parsed = RunRequestSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
      return `${where}: ${issue.message}`;
    });
    throw new HyggeError('FILTER_INVALID', `the run request is not valid: ${problems.join('; ')}`, {
      hint: 'Send JSON like {"flows": ["sales"], "entities": ["sales.orders"], "run_type": "full_drop", "vars": {"ENV": "dev"}}; every field is optional.',
    });
  }
  const { flows, entities, run_type, vars } = parsed.data;
  return {
    filter: { ...(flows ? { flows } : {}), ...(entities ? { entities } : {}), ...(run_type ? { run_type } : {}) },
    vars: vars ?? {},
  };
}

/**
 * Request variables may fill `${VAR}`s the app settings leave open, but not replace an app
 * setting: whoever holds a function key must not be able to point a connection somewhere
 * else (say `${HYGGE_SQL_SERVER}`) and have the app's managed identity follow it there.
 */
export function assertVarsKeepAppSettings(vars: Record<string, string>, env: NodeJS.ProcessEnv): void {
  const overridden = Object.keys(vars).filter((name) => env[name] !== undefined);
  if (overridden.length > 0) {
    throw new HyggeError('FILTER_INVALID', `vars may not override app settings: ${overridden.join(', ')}`, {
      hint: 'Change app settings in the function app configuration; request vars only fill variables that are not set there.',
    });
  }
}
