// One hardened storage account definition, used for both the data account and the function
// host's account, so the two can never drift apart on a security setting.
import * as storage from '@pulumi/azure-native/storage';
import type { Placement } from './resourceGroup';

export function createHardenedStorageAccount(logicalName: string, placement: Placement): storage.StorageAccount {
  return new storage.StorageAccount(logicalName, {
    resourceGroupName: placement.resourceGroupName,
    location: placement.location,
    kind: storage.Kind.StorageV2,
    // Locally redundant storage: this is a disposable test environment.
    sku: { name: storage.SkuName.Standard_LRS },
    // No anonymous reads: no container in this account may ever be made public.
    allowBlobPublicAccess: false,
    // No account keys and no SAS signed with them: every caller (the function app, the hygge CLI,
    // the Functions host itself) must authenticate with Entra ID and be granted an RBAC role.
    allowSharedKeyAccess: false,
    // The portal and tools then default to Entra ID too, instead of trying keys and failing.
    defaultToOAuthAuthentication: true,
    // Older TLS versions have known weaknesses; all current Azure SDKs speak 1.2.
    minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
    // Reject plain HTTP so tokens and data never cross the network unencrypted.
    enableHttpsTrafficOnly: true,
    // Data must not be replicated into accounts of other tenants.
    allowCrossTenantReplication: false,
  });
}
