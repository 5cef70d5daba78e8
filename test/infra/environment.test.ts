// The Pulumi program, run offline under Pulumi mocks: which resources it creates and every
// security property they must have. One file (Pulumi and azure-native are slow to load), one
// createEnvironment per plan, then many small assertions on what was registered.
import * as pulumi from '@pulumi/pulumi';
import {
  APP_PRINCIPAL_ID,
  SUBSCRIPTION_ID,
  TENANT_ID,
  installMocks,
  recorded,
  recordedOf,
  settle,
  valueOf,
  type RecordedResource,
} from './pulumiMocks';
import type { EnvironmentConfig } from '../../infra/config';
import type { Environment } from '../../infra/environment';

// The mocks must be in place before the program's modules (and azure-native) are loaded.
const mocksReady = installMocks();

const ADMIN_OBJECT_ID = '6f1e0c2a-4b7d-4e8f-9a3b-2c1d0e9f8a7b';
const CLIENT_IPS = ['203.0.113.7', '198.51.100.23'];

function testConfig(namePrefix: string, overrides: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  return {
    location: 'westeurope',
    namePrefix,
    sqlAdmin: { objectId: ADMIN_OBJECT_ID, login: 'dba@contoso.example', principalType: 'User' },
    allowedClientIps: CLIENT_IPS,
    database: { skuName: 'GP_S_Gen5_1', autoPauseDelayMinutes: 60, minCapacity: 0.5 },
    functionPlan: 'flex',
    dataContainerName: 'hygge',
    projectDir: 'project',
    ...overrides,
  };
}

const T = {
  resourceGroup: 'azure-native:resources:ResourceGroup',
  storageAccount: 'azure-native:storage:StorageAccount',
  blobContainer: 'azure-native:storage:BlobContainer',
  sqlServer: 'azure-native:sql:Server',
  database: 'azure-native:sql:Database',
  firewallRule: 'azure-native:sql:FirewallRule',
  workspace: 'azure-native:operationalinsights:Workspace',
  appInsights: 'azure-native:applicationinsights:Component',
  plan: 'azure-native:web:AppServicePlan',
  webApp: 'azure-native:web:WebApp',
  scmAllowed: 'azure-native:web:WebAppScmAllowed',
  ftpAllowed: 'azure-native:web:WebAppFtpAllowed',
  roleAssignment: 'azure-native:authorization:RoleAssignment',
} as const;

const ROLE = {
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
};
/** What a key, password or SAS token looks like inside a connection string or URL. */
const SECRET_MARKERS = /AccountKey=|Password=|Pwd=|SharedAccessSignature|SharedAccessKey|[?&]sig=/i;

const roleDefinition = (guid: string): string =>
  `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

/** A scenario: one environment built from a config, and lookups into what it registered. */
class Scenario {
  constructor(
    readonly prefix: string,
    readonly env: Environment,
  ) {}

  all(type: string): RecordedResource[] {
    return recordedOf(type, this.prefix);
  }

  one(type: string, logicalName?: string): RecordedResource {
    const matches = this.all(type).filter((r) => logicalName === undefined || r.name === logicalName);
    expect(matches).toHaveLength(1);
    return matches[0]!;
  }

  get dataAccount(): RecordedResource {
    return this.one(T.storageAccount, `${this.prefix}data`);
  }

  get hostAccount(): RecordedResource {
    return this.one(T.storageAccount, `${this.prefix}host`);
  }

  get app(): RecordedResource {
    return this.one(T.webApp);
  }

  appSettings(): Record<string, string> {
    const list = this.app.inputs.siteConfig.appSettings as { name: string; value: string }[];
    const names = list.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length); // no setting defined twice
    return Object.fromEntries(list.map((s) => [s.name, s.value]));
  }

  roles(): { scope: string; role: string; principalId: string; principalType: string }[] {
    return this.all(T.roleAssignment).map((r) => ({
      scope: r.inputs.scope,
      role: r.inputs.roleDefinitionId,
      principalId: r.inputs.principalId,
      principalType: r.inputs.principalType,
    }));
  }
}

async function build(config: EnvironmentConfig): Promise<Scenario> {
  await mocksReady;
  const { createEnvironment } = await import('../../infra/environment');
  const env = createEnvironment(config);
  await settle(env);
  return new Scenario(config.namePrefix, env);
}

describe('infra: Flex Consumption environment (the default plan)', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await build(testConfig('flexenv'));
  });

  test('creates the full resource set, and nothing else', () => {
    const counts: Record<string, number> = {};
    for (const r of recorded.filter((r) => r.name.startsWith('flexenv'))) counts[r.type] = (counts[r.type] ?? 0) + 1;
    expect(counts).toEqual({
      [T.resourceGroup]: 1,
      [T.storageAccount]: 2, // data + function host
      [T.blobContainer]: 2, // hygge data + Flex deployment package
      [T.sqlServer]: 1,
      [T.database]: 1,
      [T.firewallRule]: 1 + CLIENT_IPS.length,
      [T.workspace]: 1,
      [T.appInsights]: 1,
      [T.plan]: 1,
      [T.webApp]: 1,
      [T.scmAllowed]: 1,
      [T.ftpAllowed]: 1,
      [T.roleAssignment]: 5,
    });
  });

  test('everything lives in the environment resource group, in the configured region', () => {
    const rg = s.one(T.resourceGroup);
    expect(rg.inputs.location).toBe('westeurope');
    const others = recorded.filter((r) => r.name.startsWith('flexenv') && r.type !== T.resourceGroup && r.type !== T.roleAssignment);
    for (const r of others) expect(r.inputs.resourceGroupName).toBe(rg.azureName);
    for (const r of others.filter((r) => 'location' in r.inputs)) expect(r.inputs.location).toBe('westeurope');
  });

  test.each(['data', 'host'])('the %s storage account is hardened', (which) => {
    const account = s.one(T.storageAccount, `flexenv${which}`);
    expect(account.inputs).toMatchObject({
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      minimumTlsVersion: 'TLS1_2',
      enableHttpsTrafficOnly: true,
      kind: 'StorageV2',
    });
  });

  test('blob containers are private; the data container has the configured name', () => {
    const containers = s.all(T.blobContainer);
    for (const c of containers) expect(c.inputs.publicAccess).toBe('None');
    const data = containers.find((c) => c.inputs.accountName === s.dataAccount.azureName);
    expect(data?.inputs.containerName).toBe('hygge');
  });

  test('SQL server: Entra-only authentication with the configured admin, TLS 1.2, no SQL login', () => {
    const server = s.one(T.sqlServer);
    expect(server.inputs.administrators).toEqual({
      administratorType: 'ActiveDirectory',
      azureADOnlyAuthentication: true,
      login: 'dba@contoso.example',
      sid: ADMIN_OBJECT_ID,
      tenantId: TENANT_ID,
      principalType: 'User',
    });
    expect(server.inputs.minimalTlsVersion).toBe('1.2');
    expect(server.inputs.administratorLogin).toBeUndefined();
    expect(server.inputs.administratorLoginPassword).toBeUndefined();
  });

  test('database: serverless General Purpose with the configured SKU, auto-pause and min capacity', () => {
    const db = s.one(T.database);
    expect(db.inputs.serverName).toBe(s.one(T.sqlServer).azureName);
    expect(db.inputs.sku).toMatchObject({ name: 'GP_S_Gen5_1', tier: 'GeneralPurpose' });
    expect(db.inputs.autoPauseDelay).toBe(60);
    expect(db.inputs.minCapacity).toBe(0.5);
  });

  test('firewall: the Azure services rule plus exactly one single-address rule per client IP', () => {
    const rules = s
      .all(T.firewallRule)
      .map((r) => ({ name: r.inputs.firewallRuleName, start: r.inputs.startIpAddress, end: r.inputs.endIpAddress }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(rules).toEqual(
      [
        { name: 'AllowAllWindowsAzureIps', start: '0.0.0.0', end: '0.0.0.0' },
        { name: 'client-203-0-113-7', start: '203.0.113.7', end: '203.0.113.7' },
        { name: 'client-198-51-100-23', start: '198.51.100.23', end: '198.51.100.23' },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
    for (const r of s.all(T.firewallRule)) expect(r.inputs.serverName).toBe(s.one(T.sqlServer).azureName);
  });

  test('function app: Linux, HTTPS only, system-assigned identity, TLS 1.2, no FTP', () => {
    const app = s.app.inputs;
    expect(app.kind).toBe('functionapp,linux');
    expect(app.identity).toEqual({ type: 'SystemAssigned' });
    expect(app.httpsOnly).toBe(true);
    expect(app.siteConfig.minTlsVersion).toBe('1.2');
    expect(app.siteConfig.ftpsState).toBe('Disabled');
    expect(app.serverFarmId).toBe(s.one(T.plan).id);
    for (const type of [T.scmAllowed, T.ftpAllowed]) {
      expect(s.one(type).inputs).toMatchObject({ allow: false, name: s.app.azureName });
    }
  });

  test('Flex plan FC1, Node 20, package deployed from the host account with the app identity', () => {
    expect(s.one(T.plan).inputs).toMatchObject({ kind: 'functionapp', reserved: true, sku: { name: 'FC1', tier: 'FlexConsumption' } });
    const config = s.app.inputs.functionAppConfig;
    expect(config.runtime).toEqual({ name: 'node', version: '20' });
    expect(config.deployment.storage).toEqual({
      type: 'blobContainer',
      value: `https://${s.hostAccount.azureName}.blob.core.windows.net/app-package`,
      authentication: { type: 'SystemAssignedIdentity' },
    });
    const deployment = s.all(T.blobContainer).find((c) => c.inputs.accountName === s.hostAccount.azureName);
    expect(deployment?.inputs.containerName).toBe('app-package');
  });

  test('app settings: identity-based host storage and hygge settings, no secrets', () => {
    const settings = s.appSettings();
    expect(settings).toMatchObject({
      AzureWebJobsStorage__accountName: s.hostAccount.azureName,
      AzureWebJobsStorage__credential: 'managedidentity',
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
      HYGGE_SQL_SERVER: `${s.one(T.sqlServer).azureName}.database.windows.net`,
      HYGGE_SQL_DATABASE: 'hygge',
      HYGGE_BLOB_ACCOUNT_URL: `https://${s.dataAccount.azureName}.blob.core.windows.net`,
      HYGGE_BLOB_CONTAINER: 'hygge',
      HYGGE_PROJECT_DIR: 'project',
    });
    expect(settings.APPLICATIONINSIGHTS_CONNECTION_STRING).toMatch(/^InstrumentationKey=/);
    expect(settings).not.toHaveProperty('AzureWebJobsStorage');
    // Flex takes the runtime from functionAppConfig; these classic settings must not be set.
    expect(settings).not.toHaveProperty('FUNCTIONS_WORKER_RUNTIME');
    expect(settings).not.toHaveProperty('WEBSITE_CONTENTAZUREFILECONNECTIONSTRING');
    const withSecrets = Object.entries(settings).filter(([, value]) => SECRET_MARKERS.test(value));
    expect(withSecrets).toEqual([]);
    expect(s.app.inputs.siteConfig.connectionStrings).toBeUndefined();
  });

  test('App Insights accepts Entra-authenticated telemetry only, into the workspace', () => {
    const appi = s.one(T.appInsights).inputs;
    expect(appi.disableLocalAuth).toBe(true);
    expect(appi.workspaceResourceId).toBe(s.one(T.workspace).id);
  });

  test('roles: the right built-in roles, for the app identity, each scoped to one resource', () => {
    const appInsightsId = s.one(T.appInsights).id;
    const rg = s.one(T.resourceGroup).id;
    const roles = s.roles();
    expect(roles).toHaveLength(5);
    for (const r of roles) {
      expect(r.principalId).toBe(APP_PRINCIPAL_ID);
      expect(r.principalType).toBe('ServicePrincipal');
      // Never the subscription or the resource group: always a resource below it.
      expect(r.scope).not.toBe(`/subscriptions/${SUBSCRIPTION_ID}`);
      expect(r.scope).not.toBe(rg);
      expect([s.dataAccount.id, s.hostAccount.id, appInsightsId]).toContain(r.scope);
    }
    const at = (scope: string): string[] => roles.filter((r) => r.scope === scope).map((r) => r.role).sort();
    expect(at(s.dataAccount.id)).toEqual([roleDefinition(ROLE.blobDataContributor)]);
    expect(at(s.hostAccount.id)).toEqual(
      [roleDefinition(ROLE.blobDataOwner), roleDefinition(ROLE.queueDataContributor), roleDefinition(ROLE.tableDataContributor)].sort(),
    );
    expect(at(appInsightsId)).toEqual([roleDefinition(ROLE.monitoringMetricsPublisher)]);
  });

  test('the environment exposes the app identity principal', async () => {
    expect(await valueOf(s.env.functionAppPrincipalId)).toBe(APP_PRINCIPAL_ID);
  });
});

describe('infra: Elastic Premium environment', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await build(testConfig('premenv', { functionPlan: 'premium', allowedClientIps: [] }));
  });

  test('EP1 plan, runtime selected by site config and FUNCTIONS_* settings, no deployment container', () => {
    expect(s.one(T.plan).inputs).toMatchObject({ kind: 'elastic', reserved: true, sku: { name: 'EP1', tier: 'ElasticPremium' } });
    expect(s.app.inputs.functionAppConfig).toBeUndefined();
    expect(s.app.inputs.siteConfig.linuxFxVersion).toBe('Node|20');
    expect(s.appSettings()).toMatchObject({ FUNCTIONS_EXTENSION_VERSION: '~4', FUNCTIONS_WORKER_RUNTIME: 'node' });
    expect(s.all(T.blobContainer).map((c) => c.inputs.containerName)).toEqual(['hygge']);
  });

  test('still identity-based, secret-free and narrowly authorized', () => {
    const settings = s.appSettings();
    expect(settings.AzureWebJobsStorage__accountName).toBe(s.hostAccount.azureName);
    expect(settings).not.toHaveProperty('AzureWebJobsStorage');
    expect(settings).not.toHaveProperty('WEBSITE_CONTENTAZUREFILECONNECTIONSTRING');
    expect(Object.values(settings).filter((value) => SECRET_MARKERS.test(value))).toEqual([]);
    expect(s.app.inputs.identity).toEqual({ type: 'SystemAssigned' });
    expect(s.roles().map((r) => r.scope).sort()).toEqual(
      [s.dataAccount.id, s.hostAccount.id, s.hostAccount.id, s.hostAccount.id, s.one(T.appInsights).id].sort(),
    );
  });

  test('with no client IPs, only the Azure services rule exists', () => {
    expect(s.all(T.firewallRule).map((r) => r.inputs.firewallRuleName)).toEqual(['AllowAllWindowsAzureIps']);
  });
});

describe('infra: index.ts reads the stack settings and exports the outputs', () => {
  test('outputs for the README steps', async () => {
    await mocksReady;
    pulumi.runtime.setAllConfig({
      'hygge:namePrefix': 'idxenv',
      'hygge:location': 'northeurope',
      'hygge:sqlAdminObjectId': ADMIN_OBJECT_ID,
      'hygge:sqlAdminLogin': 'dba@contoso.example',
      'hygge:allowedClientIps': JSON.stringify(['192.0.2.10/32']),
      'hygge:databaseAutoPauseDelayMinutes': '120',
    });
    const program = await import('../../infra/index');
    const outputs = {
      resourceGroupName: await valueOf(program.resourceGroupName),
      functionAppName: await valueOf(program.functionAppName),
      functionAppUrl: await valueOf(program.functionAppUrl),
      sqlServerFqdn: await valueOf(program.sqlServerFqdn),
      sqlDatabaseName: await valueOf(program.sqlDatabaseName),
      dataStorageAccountName: await valueOf(program.dataStorageAccountName),
      dataContainerName: await valueOf(program.dataContainerName),
    };
    expect(outputs).toEqual({
      resourceGroupName: 'idxenv-rg1a2b3c4d',
      functionAppName: 'idxenv-func1a2b3c4d',
      functionAppUrl: 'https://idxenv-func1a2b3c4d.azurewebsites.net',
      sqlServerFqdn: 'idxenv-sql1a2b3c4d.database.windows.net',
      sqlDatabaseName: 'hygge',
      dataStorageAccountName: 'idxenvdata1a2b3c4d',
      dataContainerName: 'hygge',
    });
    await valueOf(program.hostStorageAccountName);
    await valueOf(program.functionAppPrincipalId);
    // The settings reached the resources: region, the /32 unwrapped, the auto-pause delay.
    expect(recordedOf(T.resourceGroup, 'idxenv')[0]?.inputs.location).toBe('northeurope');
    expect(recordedOf(T.firewallRule, 'idxenv').map((r) => r.inputs.startIpAddress).sort()).toEqual(['0.0.0.0', '192.0.2.10']);
    expect(recordedOf(T.database, 'idxenv')[0]?.inputs.autoPauseDelay).toBe(120);
  });
});
