/**
 * `npm run infra:seed`: loads the flights test data (3,000,000 rows, from vega-datasets) into
 * the deployed database with hygge itself — the same plan and runner as `hygge go` — so
 * round-trip tests can then run against a real Azure SQL.
 */
import { resolve } from 'node:path';
import { loadProject } from '../../src/config/loadProject';
import { runPlanLocally } from '../../src/engine/localRunner';
import type { EntitySummary } from '../../src/engine/summary';
import { HyggeError } from '../../src/errors';
import { buildPlan } from '../../src/plan/buildPlan';
import { deployedEnvironment } from './stackOutputs';

export const SEED_PROJECT_DIR = resolve(__dirname, 'seed-project');
export const SEED_DATA_DIR = resolve(__dirname, '../../node_modules/vega-datasets/data');

/** Runs the seed project with these variables (server, database, auth …) and returns the summaries. */
export async function seed(vars: Record<string, string>): Promise<EntitySummary[]> {
  const project = await loadProject(SEED_PROJECT_DIR, { vars: { HYGGE_SEED_DATA: SEED_DATA_DIR, ...vars } });
  return runPlanLocally(buildPlan(project), project);
}

async function main(): Promise<void> {
  const env = deployedEnvironment();
  console.log(`Seeding ${env.sqlServerFqdn}/${env.sqlDatabaseName} with hygge (Parquet → SQL Server) …`);
  const summaries = await seed({ HYGGE_SQL_SERVER: env.sqlServerFqdn, HYGGE_SQL_DATABASE: env.sqlDatabaseName });
  for (const s of summaries) {
    console.log(s.status === 'succeeded' ? `✓ ${s.id}: ${s.rows.toLocaleString()} rows in ${s.seconds.toFixed(1)} s` : `✗ ${s.id}: ${s.error?.message}`);
  }
  if (summaries.some((s) => s.status !== 'succeeded')) process.exit(1);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof HyggeError ? err.describe() : (err as Error).message);
    process.exit(1);
  });
}
