// `pulumi up` entry point: a hygge test environment (Azure SQL, data storage, the Durable
// Functions app and its identity). Settings: see README.md and Pulumi.dev.yaml.sample.
import * as pulumi from '@pulumi/pulumi';
import { readStackConfig } from './config';
import { createEnvironment } from './environment';

const config = readStackConfig();
const env = createEnvironment(config);

// Outputs: what the README's next steps (infra:grant, publish, curl) need.
export const resourceGroupName = env.resourceGroup.name;
export const functionAppName = env.functionApp.app.name;
export const functionAppUrl = pulumi.interpolate`https://${env.functionApp.app.defaultHostName}`;
export const functionAppPrincipalId = env.functionAppPrincipalId;
export const sqlServerFqdn = env.sql.server.fullyQualifiedDomainName;
export const sqlDatabaseName = env.sql.database.name;
export const dataStorageAccountName = env.dataStorage.account.name;
export const dataContainerName = env.dataStorage.container.name;
export const hostStorageAccountName = env.hostStorage.account.name;
