/**
 * Builds the ContainerClient for a `blob` connection from its config: the credential follows
 * `auth` (managed identity, the default chain, or a connection string read from the env var
 * the config names; the string itself never lives in config).
 */
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient, ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';
import type { BlobConnectionConfig } from '../config/schema';
import { HyggeError } from '../errors';

/**
 * Client options. `tlsOptions` is not in StoragePipelineOptions' type but is passed through to
 * core-rest-pipeline's createPipelineFromOptions (tlsPolicy), which is how tests trust the
 * self-signed certificate of Azurite over HTTPS without NODE_EXTRA_CA_CERTS.
 */
export type BlobClientOptions = StoragePipelineOptions & { tlsOptions?: { ca?: string | Buffer } };

export function createContainerClient(
  connectionName: string,
  config: BlobConnectionConfig,
  options: BlobClientOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ContainerClient {
  if (config.auth === 'connection_string') {
    const connectionString = env[config.connection_string_env];
    if (!connectionString) {
      throw new HyggeError('CONFIG_VARIABLE_UNSET', `environment variable ${config.connection_string_env} is not set`, {
        hint: `Set ${config.connection_string_env} to the storage account's connection string (for Azurite: UseDevelopmentStorage=true), or choose another auth for connection ${connectionName}.`,
        context: { connection: connectionName },
      });
    }
    try {
      return BlobServiceClient.fromConnectionString(connectionString, options).getContainerClient(config.container);
    } catch (err) {
      throw new HyggeError('CONFIG_INVALID', `the connection string in ${config.connection_string_env} is not valid`, {
        hint: 'Copy it again from the storage account\'s "Access keys" page.',
        context: { connection: connectionName },
        cause: err,
      });
    }
  }
  const accountUrl = (config.account_url ?? '').replace(/\/+$/, '');
  return new ContainerClient(`${accountUrl}/${encodeURIComponent(config.container)}`, credentialFor(config), options);
}

function credentialFor(config: BlobConnectionConfig): TokenCredential {
  if (config.auth === 'managed_identity') {
    return config.client_id ? new ManagedIdentityCredential({ clientId: config.client_id }) : new ManagedIdentityCredential();
  }
  return new DefaultAzureCredential(config.client_id ? { managedIdentityClientId: config.client_id } : {});
}
