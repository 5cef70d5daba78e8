// The Azure SQL logical server and hygge's database.
import * as pulumi from '@pulumi/pulumi';
import * as sql from '@pulumi/azure-native/sql';
import type { EnvironmentConfig } from './config';
import type { Placement } from './resourceGroup';

/** Name of the database on the server (HYGGE_SQL_DATABASE). */
export const DATABASE_NAME = 'hygge';

export interface SqlEnvironment {
  server: sql.Server;
  database: sql.Database;
}

export function createSql(
  config: EnvironmentConfig,
  placement: Placement,
  tenantId: pulumi.Input<string>,
): SqlEnvironment {
  const server = new sql.Server(`${config.namePrefix}-sql`, {
    resourceGroupName: placement.resourceGroupName,
    location: placement.location,
    version: '12.0',
    // Entra-only authentication: no SQL logins and no administrator password exist at all, so
    // there is no secret to leak or rotate. The configured principal is the only admin; it creates
    // the function app's database user afterwards (`npm run infra:grant`).
    administrators: {
      administratorType: sql.AdministratorType.ActiveDirectory,
      azureADOnlyAuthentication: true,
      login: config.sqlAdmin.login,
      sid: config.sqlAdmin.objectId,
      tenantId,
      principalType: config.sqlAdmin.principalType,
    },
    // Refuse clients that would negotiate TLS older than 1.2.
    minimalTlsVersion: sql.MinimalTlsVersion.MinimalTlsVersion_1_2,
    // Public endpoint, but closed by default: only the firewall rules in firewall.ts open it.
    publicNetworkAccess: sql.ServerPublicNetworkAccessFlag.Enabled,
  });

  const database = new sql.Database(`${config.namePrefix}-db`, {
    resourceGroupName: placement.resourceGroupName,
    location: placement.location,
    serverName: server.name,
    databaseName: DATABASE_NAME,
    // Serverless General Purpose: billed per second of use, paused (storage cost only) when idle.
    sku: { name: config.database.skuName, tier: 'GeneralPurpose' },
    autoPauseDelay: config.database.autoPauseDelayMinutes,
    minCapacity: config.database.minCapacity,
    // Locally redundant backups: a test environment does not need geo-redundant restores.
    requestedBackupStorageRedundancy: sql.BackupStorageRedundancy.Local,
  });

  return { server, database };
}
