/**
 * `npm start`: the main job on embedded defaults, with no Azure account and no setup.
 *
 * Starts Azurite (Blob) for the duration of the run, runs the quickstart project through the
 * real `hygge go`, then checks every copy against its source. Exits non-zero if anything
 * failed or differs.
 */
import { join, resolve } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { run as runCli } from '../../src/cli/main';
import { loadProject } from '../../src/config/loadProject';
import { startAzurite } from '../../test/support/azurite';
import { compareParquet, withLocalParts, type CopyCheck } from './verifyParquet';

const PROJECT_DIR = resolve(__dirname);
const SOURCE = resolve(__dirname, '../../node_modules/vega-datasets/data/flights-3m.parquet');

async function main(): Promise<number> {
  console.log('Starting Azurite (local Blob Storage) …');
  const azurite = await startAzurite();
  process.env.AZURE_STORAGE_CONNECTION_STRING = azurite.connectionString;
  try {
    // hygge writes into an existing container and never creates one (a typo in a container
    // name must fail, not quietly write elsewhere); in Azure, `pulumi up` creates it
    await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('quickstart').createIfNotExists();
    const code = await runCli(['node', 'hygge', 'go', '--project', PROJECT_DIR]);
    if (code !== 0) return code;

    console.log('\nVerifying the copies against the source (DuckDB as the judge) …');
    const project = await loadProject(PROJECT_DIR);
    const checks: CopyCheck[] = [
      await withLocalParts(project, undefined, '.hygge/out/local/flights-3m', (files) =>
        compareParquet('local: flights-3m → .hygge/out/local', [SOURCE], files),
      ),
      await withLocalParts(project, 'lake', 'raw/flights-3m', (files) =>
        compareParquet('lake: flights-3m → Azurite raw/', [SOURCE], files),
      ),
    ];
    for (const c of checks) {
      console.log(
        `${c.ok ? '✓' : '✗'} ${c.label}: ${c.copyRows.toLocaleString()} of ${c.sourceRows.toLocaleString()} rows` +
          (c.ok ? ', every row matches' : `, ${c.missing} missing, ${c.extra} extra`),
      );
    }
    console.log(`\nOutputs: ${join(PROJECT_DIR, '.hygge/out')} (local) and container "quickstart" in Azurite (gone when it stops).`);
    return checks.every((c) => c.ok) ? 0 : 1;
  } finally {
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
