// The resource group that holds the whole test environment, so `pulumi destroy` (or deleting
// the group) removes everything and nothing is left billing in the subscription.
import * as pulumi from '@pulumi/pulumi';
import * as resources from '@pulumi/azure-native/resources';
import type { EnvironmentConfig } from './config';

/** Where a resource goes: every module takes this instead of the whole resource group. */
export interface Placement {
  resourceGroupName: pulumi.Input<string>;
  location: string;
}

export function createResourceGroup(config: EnvironmentConfig): resources.ResourceGroup {
  return new resources.ResourceGroup(`${config.namePrefix}-rg`, { location: config.location });
}
