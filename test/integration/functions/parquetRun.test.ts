/**
 * End to end through the Functions app: the real orchestrators replayed by the harness, the
 * real `plan` and `runEntity` activities, a small Parquet → Parquet project, to local disk
 * and to Blob (Azurite).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite, type AzuriteInstance } from '../../support/azurite';
import { startHarness, type Harness } from '../../durable/harness';
import { writeParquetProject, type ParquetProject } from './parquetProject';
import { runThroughHarness } from './runThroughHarness';

describe('Functions app end to end, Parquet → Parquet', () => {
  let project: ParquetProject;
  let harness: Harness;
  afterEach(async () => {
    await harness?.close();
    // what the host does when it stops the worker: the app's appTerminate hook
    for (const hook of harness?.app.hooks.appTerminate ?? []) await (hook as () => Promise<void>)();
    project?.remove();
    delete process.env.HYGGE_PROJECT_DIR;
  });

  it('writes every entity to local disk', async () => {
    project = writeParquetProject();
    process.env.HYGGE_PROJECT_DIR = project.dir;
    harness = await startHarness();
    const { status, output } = await runThroughHarness(harness);
    expect(status).toBe('Completed');
    expect(output.counts).toEqual({ succeeded: 3, failed: 0, skipped: 0 });
    for (const [entity, rows] of Object.entries(project.entities)) {
      const folder = join(project.dir, 'out', entity);
      expect(existsSync(folder)).toBe(true);
      expect(readdirSync(folder).some((f) => f.endsWith('.parquet'))).toBe(true);
      expect(output.entities.find((e: { id: string }) => e.id === `local.${entity}`)).toMatchObject({ status: 'succeeded', rows });
    }
  });

  describe('into Blob (Azurite)', () => {
    let azurite: AzuriteInstance;
    beforeAll(async () => {
      azurite = await startAzurite();
    });
    afterAll(async () => azurite?.stop());

    it('writes every entity as blobs under raw/<entity>/', async () => {
      process.env.HYGGE_E2E_BLOB = azurite.connectionString;
      const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
      await service.getContainerClient('lake').createIfNotExists();
      project = writeParquetProject({ blob: { connectionStringEnv: 'HYGGE_E2E_BLOB', container: 'lake' } });
      process.env.HYGGE_PROJECT_DIR = project.dir;
      harness = await startHarness();
      const { status, output } = await runThroughHarness(harness);
      expect({ status, output: status === 'Completed' ? 'ok' : output }).toEqual({ status: 'Completed', output: 'ok' });
      const names: string[] = [];
      for await (const blob of service.getContainerClient('lake').listBlobsFlat({ prefix: 'raw/' })) names.push(blob.name);
      for (const entity of Object.keys(project.entities)) {
        expect(names.some((n) => n.startsWith(`raw/${entity}/`) && n.endsWith('.parquet'))).toBe(true);
      }
      delete process.env.HYGGE_E2E_BLOB;
    });
  });
});
