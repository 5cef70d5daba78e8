// The storage account where hygge reads and writes Parquet files, and its container.
import * as storage from '@pulumi/azure-native/storage';
import type { EnvironmentConfig } from './config';
import type { Placement } from './resourceGroup';
import { createHardenedStorageAccount } from './storageAccount';

export interface DataStorage {
  account: storage.StorageAccount;
  container: storage.BlobContainer;
}

export function createDataStorage(config: EnvironmentConfig, placement: Placement): DataStorage {
  const account = createHardenedStorageAccount(`${config.namePrefix}data`, placement);
  const container = new storage.BlobContainer(`${config.namePrefix}-data-container`, {
    resourceGroupName: placement.resourceGroupName,
    accountName: account.name,
    containerName: config.dataContainerName,
    // Private: reads need an identity with a data role (the account forbids public access anyway).
    publicAccess: storage.PublicAccess.None,
  });
  return { account, container };
}
