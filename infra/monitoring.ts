// Log Analytics workspace and the workspace-based Application Insights component the function
// app sends telemetry to.
import * as applicationinsights from '@pulumi/azure-native/applicationinsights';
import * as operationalinsights from '@pulumi/azure-native/operationalinsights';
import type { EnvironmentConfig } from './config';
import type { Placement } from './resourceGroup';

export interface Monitoring {
  workspace: operationalinsights.Workspace;
  appInsights: applicationinsights.Component;
}

export function createMonitoring(config: EnvironmentConfig, placement: Placement): Monitoring {
  const workspace = new operationalinsights.Workspace(`${config.namePrefix}-logs`, {
    resourceGroupName: placement.resourceGroupName,
    location: placement.location,
    sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
    // The minimum: a test environment's logs are only needed while investigating a run.
    retentionInDays: 30,
  });

  const appInsights = new applicationinsights.Component(`${config.namePrefix}-appi`, {
    resourceGroupName: placement.resourceGroupName,
    location: placement.location,
    kind: 'web',
    applicationType: applicationinsights.ApplicationType.Web,
    workspaceResourceId: workspace.id,
    // Telemetry is accepted only with an Entra token (the app's managed identity, which gets
    // Monitoring Metrics Publisher in roles.ts), so the instrumentation key in the connection
    // string cannot be used to write fake telemetry.
    disableLocalAuth: true,
  });

  return { workspace, appInsights };
}
