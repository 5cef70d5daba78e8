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
