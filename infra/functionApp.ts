// The Durable Functions app that runs hygge in Azure: its hosting plan, the app itself with a
// system-assigned managed identity, and app settings that contain no secrets.
import * as pulumi from '@pulumi/pulumi';
import * as web from '@pulumi/azure-native/web';
import type { EnvironmentConfig, FunctionPlan } from './config';
import type { Placement } from './resourceGroup';

/** Node.js major version the app runs on (matches the repo's `engines`). */
export const NODE_VERSION = '20';

/** What the app settings point at; everything is a name or URL, never a key. */
export interface AppSettingsInputs {
  plan: FunctionPlan;
  hostStorageAccountName: pulumi.Input<string>;
  sqlServerFqdn: pulumi.Input<string>;
  sqlDatabaseName: pulumi.Input<string>;
  /** Blob endpoint of the data account, e.g. https://<account>.blob.core.windows.net/ */
  dataBlobEndpoint: pulumi.Input<string>;
  dataContainerName: pulumi.Input<string>;
  projectDir: string;
  appInsightsConnectionString: pulumi.Input<string>;
}

/** The app settings, by name. Exported so tests can check them without deploying. */
export function functionAppSettings(inputs: AppSettingsInputs): Record<string, pulumi.Input<string>> {
  // Flex Consumption takes the runtime and its version from functionAppConfig and rejects or
  // ignores the classic FUNCTIONS_* settings; on Elastic Premium they select the host and worker.
  const runtimeSettings: Record<string, string> =
    inputs.plan === 'premium' ? { FUNCTIONS_EXTENSION_VERSION: '~4', FUNCTIONS_WORKER_RUNTIME: 'node' } : {};

  return {
    ...runtimeSettings,
    // Identity-based host storage: the host builds the blob/queue/table URIs from the account
    // name and authenticates with the app's managed identity. There is deliberately no
    // `AzureWebJobsStorage` connection string (the account rejects shared keys anyway).
    AzureWebJobsStorage__accountName: inputs.hostStorageAccountName,
    AzureWebJobsStorage__credential: 'managedidentity',
    // The App Insights connection string is not a secret (Microsoft: it only identifies where to
    // send telemetry). Ingestion requires an Entra token because local auth is disabled on the
    // component, and AUTHENTICATION_STRING makes the SDK use the app's managed identity for it.
    APPLICATIONINSIGHTS_CONNECTION_STRING: inputs.appInsightsConnectionString,
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
    // Where hygge works. hygge connects to both with the managed identity (DefaultAzureCredential).
    HYGGE_SQL_SERVER: inputs.sqlServerFqdn,
    HYGGE_SQL_DATABASE: inputs.sqlDatabaseName,
    HYGGE_BLOB_ACCOUNT_URL: pulumi.output(inputs.dataBlobEndpoint).apply((url) => url.replace(/\/+$/, '')),
    HYGGE_BLOB_CONTAINER: inputs.dataContainerName,
    HYGGE_PROJECT_DIR: inputs.projectDir,
  };
}

export interface FunctionAppInputs {
  appSettings: Record<string, pulumi.Input<string>>;
  /** Flex Consumption only: URL of the blob container the platform deploys the package to. */
  deploymentContainerUrl?: pulumi.Input<string>;
}

export interface FunctionAppEnvironment {
  plan: web.AppServicePlan;
  app: web.WebApp;
  /** Basic-auth publishing (SCM/Kudu and FTP) switched off; deployments authenticate with Entra ID. */
  scmBasicAuth: web.WebAppScmAllowed;
  ftpBasicAuth: web.WebAppFtpAllowed;
}

function createPlan(config: EnvironmentConfig, placement: Placement): web.AppServicePlan {
  const common = { resourceGroupName: placement.resourceGroupName, location: placement.location };
  switch (config.functionPlan) {
    case 'flex':
      // Flex Consumption (FC1, Linux): per-execution billing, scales to zero, Durable Functions supported.
      return new web.AppServicePlan(`${config.namePrefix}-plan`, {
        ...common,
        kind: 'functionapp',
        reserved: true,
        sku: { name: 'FC1', tier: 'FlexConsumption' },
      });
    case 'premium':
      // Elastic Premium (EP1, Linux): always-warm instances, no cold start, billed while running.
      return new web.AppServicePlan(`${config.namePrefix}-plan`, {
        ...common,
        kind: 'elastic',
        reserved: true,
        sku: { name: 'EP1', tier: 'ElasticPremium' },
        // Caps what a runaway test can cost.
        maximumElasticWorkerCount: 5,
      });
  }
}

function deploymentConfig(
  config: EnvironmentConfig,
  inputs: FunctionAppInputs,
): Partial<Pick<web.WebAppArgs, 'functionAppConfig'>> {
  if (config.functionPlan !== 'flex') return {};
  if (inputs.deploymentContainerUrl === undefined) {
    throw new Error('The Flex Consumption plan needs a deployment container (hostStorage.ts creates it).');
  }
  return {
    functionAppConfig: {
      deployment: {
        storage: {
          type: web.FunctionsDeploymentStorageType.BlobContainer,
          value: inputs.deploymentContainerUrl,
          // The platform reads the package with the app's own identity, not a storage key.
          authentication: { type: web.AuthenticationType.SystemAssignedIdentity },
        },
      },
      runtime: { name: web.RuntimeName.Node, version: NODE_VERSION },
      // 2 GB instances (the default size); at most 40 of them, to bound a test's cost.
      scaleAndConcurrency: { instanceMemoryMB: 2048, maximumInstanceCount: 40 },
    },
  };
}

export function createFunctionApp(
  config: EnvironmentConfig,
  placement: Placement,
  inputs: FunctionAppInputs,
): FunctionAppEnvironment {
  const plan = createPlan(config, placement);

  const app = new web.WebApp(`${config.namePrefix}-func`, {
    resourceGroupName: placement.resourceGroupName,
    location: placement.location,
    kind: 'functionapp,linux',
    serverFarmId: plan.id,
    // The app's only credential: Azure issues and rotates its tokens; nothing to store or leak.
    identity: { type: web.ManagedServiceIdentityType.SystemAssigned },
    // Redirect HTTP to HTTPS so function keys and run requests are never sent in clear text.
    httpsOnly: true,
    ...deploymentConfig(config, inputs),
    siteConfig: {
      // Elastic Premium selects the runtime here; Flex uses functionAppConfig.runtime instead.
      ...(config.functionPlan === 'premium' ? { linuxFxVersion: `Node|${NODE_VERSION}` } : {}),
      appSettings: Object.entries(inputs.appSettings).map(([name, value]) => ({ name, value })),
      minTlsVersion: web.SupportedTlsVersions.SupportedTlsVersions_1_2,
      scmMinTlsVersion: web.SupportedTlsVersions.SupportedTlsVersions_1_2,
      // FTP(S) is a password-based deployment channel we never use.
      ftpsState: web.FtpsState.Disabled,
      http20Enabled: true,
    },
  });

  // Publishing passwords are long-lived secrets; with these off, `func azure functionapp publish`
  // authenticates with the deployer's Entra token instead.
  const scmBasicAuth = new web.WebAppScmAllowed(`${config.namePrefix}-func-scm-basic-auth`, {
    resourceGroupName: placement.resourceGroupName,
    name: app.name,
    allow: false,
  });
  const ftpBasicAuth = new web.WebAppFtpAllowed(`${config.namePrefix}-func-ftp-basic-auth`, {
    resourceGroupName: placement.resourceGroupName,
    name: app.name,
    allow: false,
  });

  return { plan, app, scmBasicAuth, ftpBasicAuth };
}
