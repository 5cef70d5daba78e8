/**
 * `npm start`: the main job on embedded defaults, with no Azure account and no setup.
 *
 * Starts Azurite (Blob) and, unless SQL_SERVER names a real one, the SQL Server stand-in for
 * the duration of the run. Runs the quickstart project through the real `hygge go`: first the
 * Parquet flows (`local`, `lake`), then the SQL Server round trip one step at a time (`seed`,
 * `extract`, `reload`, `check`; disabled in the project because each needs the one before).
 * Then checks every copy against its source. Exits non-zero if anything failed or differs.
 */
import { join, resolve } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { run as runCli } from '../../src/cli/main';
import { loadProject } from '../../src/config/loadProject';
import { startAzurite } from '../../test/support/azurite';
import { sampleRows, writeSample } from './sample';
import { useWarehouse } from './sqlServer';
import { compareParquet, describeCheck, withLocalParts, type CopyCheck } from './verifyParquet';

const PROJECT_DIR = resolve(__dirname);
const SOURCE = resolve(__dirname, '../../node_modules/vega-datasets/data/flights-3m.parquet');
/** what flows/seed reads (`.hygge/sample/{entity}.parquet` with entity `flights`) */
const SQL_SAMPLE = join(PROJECT_DIR, '.hygge/sample/flights.parquet');
/** enough rows to be a real load, few enough for the whole run to stay well under 2 minutes */
const DEFAULT_SQL_ROWS = 200_000;
const SQL_STEPS = ['seed', 'extract', 'reload', 'check'] as const;

const hygge = (...args: string[]) => runCli(['node', 'hygge', 'go', '--project', PROJECT_DIR, ...args]);

async function main(): Promise<number> {
  const rows = sampleRows(process.env, DEFAULT_SQL_ROWS);
  console.log('Starting Azurite (local Blob Storage) …');
  const azurite = await startAzurite();
  process.env.AZURE_STORAGE_CONNECTION_STRING = azurite.connectionString;
  const warehouse = await useWarehouse(process.env).catch(async (err: unknown) => {
    await azurite.stop();
    throw err;
  });
  try {
    // hygge writes into an existing container and never creates one (a typo in a container
    // name must fail, not quietly write elsewhere); in Azure, `pulumi up` creates it
    await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('quickstart').createIfNotExists();

    console.log('\n── Parquet → Parquet: hygge go (flows local and lake) ──');
    let code = await hygge();
    if (code !== 0) return code;

    const sampleNote = rows === undefined ? 'all 3,000,000 flights' : `a ${rows.toLocaleString()}-row sample of flights-3m (QUICKSTART_SQL_ROWS=all for all 3,000,000)`;
    console.log(`\n── SQL Server round trip on ${warehouse.describe} ──`);
    console.log(`Using ${sampleNote}.`);
    if (!warehouse.standIn) console.log('This replaces the tables dbo.flights and dbo.flights_copy there.');
    await writeSample(SOURCE, SQL_SAMPLE, rows);
    for (const step of SQL_STEPS) {
      console.log(`\n$ hygge go --entity ${step}.flights`);
      code = await hygge('--entity', `${step}.flights`);
      if (code !== 0) return code;
    }

    console.log('\nVerifying the copies against their sources (DuckDB as the judge) …');
    const project = await loadProject(PROJECT_DIR);
    const checks: CopyCheck[] = [
      await withLocalParts(project, undefined, '.hygge/out/local/flights-3m', (files) =>
        compareParquet('local: flights-3m → .hygge/out/local', [SOURCE], files),
      ),
      await withLocalParts(project, 'lake', 'raw/flights-3m', (files) =>
        compareParquet('lake: flights-3m → Azurite raw/', [SOURCE], files),
      ),
      // the SQL round trip must keep the columns' types as well as the values: the type map
      // turns timestamp[us] into datetime2(6) and back, int64 into bigint and back
      await withLocalParts(project, 'lake', 'sql/flights', (files) =>
        compareParquet('seed + extract: flights → dbo.flights → Azurite sql/', [SQL_SAMPLE], files),
      ),
      await withLocalParts(project, undefined, '.hygge/out/sql/flights', (files) =>
        compareParquet('reload + check: Azurite sql/ → dbo.flights_copy → .hygge/out/sql', [SQL_SAMPLE], files),
      ),
    ];
    for (const c of checks) console.log(describeCheck(c));
    console.log(`\nOutputs: ${join(PROJECT_DIR, '.hygge/out')} (local); container "quickstart" in Azurite (gone when it stops);`);
    console.log(`dbo.flights and dbo.flights_copy in ${warehouse.standIn ? 'the stand-in (gone when it stops)' : warehouse.describe}.`);
    return checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    await warehouse.stop();
    await azurite.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
