// Wires the modules into one test environment. `index.ts` calls createEnvironment with the
// validated stack config; tests call it directly with a config object and inspect the resources.
import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';
import type * as resources from '@pulumi/azure-native/resources';
import type * as sql from '@pulumi/azure-native/sql';
import type { EnvironmentConfig } from './config';
import { createDataStorage, type DataStorage } from './dataStorage';
import { createSqlFirewall } from './firewall';
import { createFunctionApp, functionAppSettings, type FunctionAppEnvironment } from './functionApp';
import { createHostStorage, type HostStorage } from './hostStorage';
import { createMonitoring, type Monitoring } from './monitoring';
import { createResourceGroup, type Placement } from './resourceGroup';
import { createAppRoleAssignments, type AppRoleAssignments } from './roles';
import { createSql, type SqlEnvironment } from './sql';

export interface Environment {
  config: EnvironmentConfig;
  resourceGroup: resources.ResourceGroup;
  dataStorage: DataStorage;
  hostStorage: HostStorage;
  sql: SqlEnvironment;
  firewallRules: sql.FirewallRule[];
  monitoring: Monitoring;
  functionApp: FunctionAppEnvironment;
  roles: AppRoleAssignments;
  /** principalId of the function app's system-assigned identity. */
  functionAppPrincipalId: pulumi.Output<string>;
}

export function createEnvironment(config: EnvironmentConfig): Environment {
  // Tenant and subscription of the credentials Pulumi runs with (`az login`).
  const client = authorization.getClientConfigOutput();

  const resourceGroup = createResourceGroup(config);
  const placement: Placement = { resourceGroupName: resourceGroup.name, location: config.location };

  const dataStorage = createDataStorage(config, placement);
  const hostStorage = createHostStorage(config, placement);
  const sqlEnvironment = createSql(config, placement, client.tenantId);
  const firewallRules = createSqlFirewall(config, placement, sqlEnvironment.server.name);
  const monitoring = createMonitoring(config, placement);

  const appSettings = functionAppSettings({
    plan: config.functionPlan,
    hostStorageAccountName: hostStorage.account.name,
    sqlServerFqdn: sqlEnvironment.server.fullyQualifiedDomainName,
    sqlDatabaseName: sqlEnvironment.database.name,
    dataBlobEndpoint: dataStorage.account.primaryEndpoints.blob,
    dataContainerName: dataStorage.container.name,
    projectDir: config.projectDir,
    appInsightsConnectionString: monitoring.appInsights.connectionString,
  });
  const functionApp = createFunctionApp(config, placement, {
    appSettings,
    deploymentContainerUrl: hostStorage.deploymentContainerUrl,
  });

  const functionAppPrincipalId = functionApp.app.identity.apply((identity) => {
    if (!identity?.principalId) {
      throw new Error('The function app has no system-assigned identity; roles.ts cannot grant it access.');
    }
    return identity.principalId;
  });

  const roles = createAppRoleAssignments({
    namePrefix: config.namePrefix,
    subscriptionId: client.subscriptionId,
    principalId: functionAppPrincipalId,
    dataAccountId: dataStorage.account.id,
    hostAccountId: hostStorage.account.id,
    appInsightsId: monitoring.appInsights.id,
  });

  return {
    config,
    resourceGroup,
    dataStorage,
    hostStorage,
    sql: sqlEnvironment,
    firewallRules,
    monitoring,
    functionApp,
    roles,
    functionAppPrincipalId,
  };
}
