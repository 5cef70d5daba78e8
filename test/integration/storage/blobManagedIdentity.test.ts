/**
 * Blob with a managed identity, end to end and offline: Azurite with `--oauth basic` over
 * HTTPS, the local App Service identity endpoint (IDENTITY_ENDPOINT / IDENTITY_HEADER), and
 * the REAL ManagedIdentityCredential chosen by createContainerClient from the connection config.
 */
import { Readable } from 'node:stream';
import { BlobServiceClient } from '@azure/storage-blob';
import type { BlobConnectionConfig } from '../../../src/config/schema';
import { HyggeError } from '../../../src/errors';
import { createContainerClient } from '../../../src/storage/blobClient';
import { BlobStore } from '../../../src/storage/blobStore';
import { startAzurite, type AzuriteInstance } from '../../support/azurite';
import { startIdentityEndpoint, type IdentityEndpoint } from '../../support/identityEndpoint';

describe('Blob storage with a managed identity (Azurite over HTTPS + local identity endpoint)', () => {
  let azurite: AzuriteInstance;
  let idp: IdentityEndpoint;
  let restoreEnv: () => void;

  beforeAll(async () => {
    [azurite, idp] = await Promise.all([startAzurite({ oauth: true }), startIdentityEndpoint()]);
    restoreEnv = idp.applyToEnv();
    // the container is created with the account key (over the same HTTPS endpoint)
    await BlobServiceClient.fromConnectionString(azurite.connectionString, { tlsOptions: { ca: azurite.ca } } as object)
      .getContainerClient('data')
      .create();
  }, 30_000);
  afterAll(async () => {
    restoreEnv?.();
    await Promise.all([azurite?.stop(), idp?.stop()]);
  });

  /** A store built the way the registry builds it, trusting Azurite's test certificate. */
  const storeFor = (config: Partial<BlobConnectionConfig> = {}) =>
    new BlobStore(
      createContainerClient(
        'lake',
        { type: 'blob', account_url: azurite.blobUrl, container: 'data', auth: 'managed_identity', connection_string_env: 'UNUSED', ...config },
        { tlsOptions: { ca: azurite.ca } },
      ),
      'lake',
    );

  it('authenticates with the system-assigned identity for https://storage.azure.com', async () => {
    const store = storeFor();
    const before = idp.tokensIssued;
    await store.write('mi/a.txt', Readable.from([Buffer.from('hello')]));
    await store.move('mi/a.txt', 'mi/b.txt');
    expect((await store.list('mi/')).map((o) => o.key)).toEqual(['mi/b.txt']);
    expect(idp.tokensIssued).toBeGreaterThan(before);
    expect(idp.requests.at(-1)).toEqual({ resource: 'https://storage.azure.com', clientId: undefined });
  });

  it('asks for the user-assigned identity named by client_id', async () => {
    const store = storeFor({ client_id: 'uami-orders' });
    await store.write('mi/uami.txt', Readable.from([Buffer.from('x')]));
    expect(idp.requests.at(-1)).toEqual({ resource: 'https://storage.azure.com', clientId: 'uami-orders' });
  });

  it('renews tokens that expire during a run', async () => {
    idp.configure({ lifetimeSeconds: 30 }); // inside every refresh margin: each request renews
    try {
      const store = storeFor({ client_id: 'uami-short-lived' });
      const before = idp.tokensIssued;
      for (let i = 0; i < 3; i++) await store.write(`mi/short-${i}.txt`, Readable.from([Buffer.from('x')]));
      expect((await store.list('mi/short-')).length).toBe(3);
      expect(idp.tokensIssued - before).toBeGreaterThan(1);
    } finally {
      idp.configure({ lifetimeSeconds: 3600 });
    }
  });

  it('reports a token for the wrong audience as AUTH_FAILED with a hint', async () => {
    idp.configure({ wrongAudience: 'https://vault.azure.net' });
    try {
      const err = await storeFor({ client_id: 'uami-wrong-audience' })
        .write('mi/denied.txt', Readable.from([Buffer.from('x')]))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HyggeError);
      expect((err as HyggeError).code).toBe('AUTH_FAILED');
      expect((err as HyggeError).context).toMatchObject({ connection: 'lake' });
      expect((err as HyggeError).hint).toBeTruthy();
    } finally {
      idp.configure({ wrongAudience: undefined });
    }
  });
});
