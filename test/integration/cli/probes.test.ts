/** `hygge debug`'s probes against a real Blob service (Azurite) and the local file system. */
import { BlobServiceClient } from '@azure/storage-blob';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProjectConfig } from '../../../src/config/project';
import { ProjectFileSchema, type ConnectionConfig } from '../../../src/config/schema';
import { probeBlobPath, probeConnection, probeLocalPath, registerConnectionProbe, type ConnectionProbe } from '../../../src/cli/probes';
import { HyggeError } from '../../../src/errors';
import { startAzurite, type AzuriteInstance } from '../../support/azurite';

const ENV = 'HYGGE_TEST_PROBE_CONNECTION_STRING';

function projectWith(dir: string, connections: Record<string, unknown>): ProjectConfig {
  const file = ProjectFileSchema.parse({ name: 'probe', connections });
  return { dir, name: file.name, options: file.options, connections: file.connections, schedules: [], flows: {} };
}

describe('debug probes', () => {
  let azurite: AzuriteInstance;
  let project: ProjectConfig;

  beforeAll(async () => {
    azurite = await startAzurite();
    process.env[ENV] = azurite.connectionString;
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    await service.createContainer('data');
    await service.getContainerClient('data').getBlockBlobClient('in/orders/part-0.parquet').upload('x', 1);
    const blob = (container: string) => ({ type: 'blob', container, auth: 'connection_string', connection_string_env: ENV });
    project = projectWith(mkdtempSync(path.join(tmpdir(), 'hygge-probe-')), { lake: blob('data'), missing: blob('nope') });
  });

  afterAll(async () => {
    delete process.env[ENV];
    await azurite?.stop();
  });

  it('reaches a blob container, and says when the container does not exist', async () => {
    const ok = await probeConnection('lake', project.connections.lake, project);
    expect(ok).toMatchObject({ status: 'ok' });
    expect(ok.detail).toContain('/data');
    const missing = await probeConnection('missing', project.connections.missing, project);
    expect(missing.status).toBe('failed');
    expect(missing.detail).toContain('container does not exist');
    expect(missing.hint).toBeDefined();
  });

  it('finds objects under a blob home path, and reports an empty one', async () => {
    expect(await probeBlobPath('lake', 'in/orders', 'read', project)).toMatchObject({ status: 'ok', detail: expect.stringContaining('1 object') });
    expect(await probeBlobPath('lake', 'in/*/part-*.parquet', 'read', project)).toMatchObject({ status: 'ok' });
    expect(await probeBlobPath('lake', 'in/lines', 'read', project)).toMatchObject({ status: 'failed', detail: expect.stringContaining('nothing under') });
    expect(await probeBlobPath('lake', 'out/orders', 'write', project)).toMatchObject({ status: 'ok' });
  });

  it('reports a connection type without a probe as not checked, and a probe that throws as failed', async () => {
    const unknown = { type: 'ftp' } as unknown as ConnectionConfig;
    expect(await probeConnection('old', unknown, project)).toMatchObject({ status: 'not_checked', detail: expect.stringContaining('not checked') });
    const throwing: ConnectionProbe = async () => {
      throw new HyggeError('AUTH_FAILED', 'login failed', { hint: 'check the password' });
    };
    registerConnectionProbe('ftp' as ConnectionConfig['type'], throwing);
    expect(await probeConnection('old', unknown, project)).toEqual({ status: 'failed', detail: 'login failed', hint: 'check the password' });
  });

  it('checks local paths: a home must exist, a store must be creatable', async () => {
    mkdirSync(path.join(project.dir, 'data/in'), { recursive: true });
    writeFileSync(path.join(project.dir, 'data/in/a.parquet'), 'x');
    writeFileSync(path.join(project.dir, 'afile'), 'x');
    expect(await probeLocalPath('data/in/a.parquet', 'read', project)).toMatchObject({ status: 'ok' });
    expect(await probeLocalPath('data/in/*.parquet', 'read', project)).toMatchObject({ status: 'ok' });
    expect(await probeLocalPath('data/none', 'read', project)).toMatchObject({ status: 'failed', detail: 'data/none does not exist' });
    expect(await probeLocalPath('data/out/orders', 'write', project)).toMatchObject({ status: 'ok', detail: 'data/out/orders will be created (data is writable)' });
    expect(await probeLocalPath('afile/orders', 'write', project)).toMatchObject({ status: 'failed' });
  });
});
