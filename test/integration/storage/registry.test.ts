/** objectStoreFor: which store a `storage:` setting gives, and what a wrong one says. */
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import type { ProjectConfig } from '../../../src/config/project';
import { OptionsSchema, type ConnectionConfig } from '../../../src/config/schema';
import { RunResources } from '../../../src/engine/runResources';
import { HyggeError } from '../../../src/errors';
import { BlobStore } from '../../../src/storage/blobStore';
import { LocalDirStore } from '../../../src/storage/localDirStore';
import { objectStoreFor } from '../../../src/storage/registry';
import { startAzurite, type AzuriteInstance } from '../../support/azurite';

describe('objectStoreFor', () => {
  let azurite: AzuriteInstance;
  let dir: string;
  const envName = 'HYGGE_TEST_REGISTRY_BLOB';

  const project = (connections: Record<string, ConnectionConfig>): ProjectConfig => ({
    dir,
    name: 'p',
    options: OptionsSchema.parse({}),
    connections,
    schedules: [],
    flows: {},
  });
  const blob = (auth: 'connection_string' | 'managed_identity'): ConnectionConfig => ({
    type: 'blob',
    container: 'lake',
    auth,
    account_url: 'https://example.blob.core.windows.net',
    connection_string_env: envName,
  });

  beforeAll(async () => {
    azurite = await startAzurite();
    await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('lake').create();
    dir = mkdtempSync(path.join(tmpdir(), 'hygge-registry-'));
  }, 30_000);
  afterAll(async () => {
    delete process.env[envName];
    rmSync(dir, { recursive: true, force: true });
    await azurite?.stop();
  });

  it('gives the project folder when storage is absent, one instance per run', () => {
    const resources = new RunResources(project({}));
    const store = objectStoreFor(resources, undefined);
    expect(store).toBeInstanceOf(LocalDirStore);
    expect(store.location).toBe(dir);
    expect(objectStoreFor(resources, undefined)).toBe(store);
  });

  it('gives the blob connection of that name (connection string from the env var it names)', async () => {
    process.env[envName] = azurite.connectionString;
    const resources = new RunResources(project({ lake: blob('connection_string') }));
    const store = objectStoreFor(resources, 'lake');
    expect(store).toBeInstanceOf(BlobStore);
    expect(objectStoreFor(resources, 'lake')).toBe(store);
    await store.write('x.txt', Readable.from([Buffer.from('x')]));
    expect((await store.list('')).map((o) => o.key)).toEqual(['x.txt']);
  });

  it.each([
    ['a missing connection', {}, 'CONFIG_INVALID'],
    ['a SQL connection', { lake: { type: 'mssql', server: 's', database: 'd' } as unknown as ConnectionConfig }, 'CONFIG_INVALID'],
  ] as const)('refuses %s, naming it', (_label, connections, code) => {
    const resources = new RunResources(project(connections as Record<string, ConnectionConfig>));
    let err: unknown;
    try {
      objectStoreFor(resources, 'lake');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HyggeError);
    expect((err as HyggeError).code).toBe(code);
    expect((err as HyggeError).context.connection).toBe('lake');
  });

  it('says which environment variable to set for a connection string', () => {
    delete process.env[envName];
    const resources = new RunResources(project({ lake: blob('connection_string') }));
    let err: unknown;
    try {
      objectStoreFor(resources, 'lake');
    } catch (e) {
      err = e;
    }
    expect((err as HyggeError).code).toBe('CONFIG_VARIABLE_UNSET');
    expect((err as HyggeError).message).toContain(envName);
  });
});
