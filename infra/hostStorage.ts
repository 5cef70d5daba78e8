// The Functions host's own storage account: Durable Functions task hub (queues, tables, blobs),
// host locks and keys, and for Flex Consumption the deployment package container. Kept apart from
// the data account so the app's broad host roles (Blob Data Owner, ...) never reach hygge's data.
import * as pulumi from '@pulumi/pulumi';
import * as storage from '@pulumi/azure-native/storage';
import type { EnvironmentConfig } from './config';
import type { Placement } from './resourceGroup';
import { createHardenedStorageAccount } from './storageAccount';

/** Blob container the Flex Consumption plan deploys the app package to. */
export const DEPLOYMENT_CONTAINER_NAME = 'app-package';

export interface HostStorage {
  account: storage.StorageAccount;
  /** Only for the Flex Consumption plan, which deploys from a blob container. */
  deploymentContainer?: storage.BlobContainer;
  /** URL of the deployment container, e.g. https://<account>.blob.core.windows.net/app-package. */
  deploymentContainerUrl?: pulumi.Output<string>;
}

export function createHostStorage(config: EnvironmentConfig, placement: Placement): HostStorage {
  const account = createHardenedStorageAccount(`${config.namePrefix}host`, placement);
  if (config.functionPlan !== 'flex') return { account };

  const deploymentContainer = new storage.BlobContainer(`${config.namePrefix}-deployment-container`, {
    resourceGroupName: placement.resourceGroupName,
    accountName: account.name,
    containerName: DEPLOYMENT_CONTAINER_NAME,
    // Private: the platform fetches the package with the app's managed identity.
    publicAccess: storage.PublicAccess.None,
  });
  const deploymentContainerUrl = pulumi.interpolate`${account.primaryEndpoints.blob}${deploymentContainer.name}`;
  return { account, deploymentContainer, deploymentContainerUrl };
}
