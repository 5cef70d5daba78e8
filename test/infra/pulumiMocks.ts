// Offline Pulumi engine for the infra tests: records every resource the program registers and
// answers with the state Azure would return (ARM ids, generated names, endpoints, identity).
// Import this module and call installMocks() BEFORE importing anything from infra/.
import * as pulumi from '@pulumi/pulumi';

export const SUBSCRIPTION_ID = '00000000-0000-0000-0000-00000000aaaa';
export const TENANT_ID = '00000000-0000-0000-0000-00000000bbbb';
/** principalId the mock gives every web app created with a system-assigned identity. */
export const APP_PRINCIPAL_ID = '00000000-0000-0000-0000-00000000cccc';

export interface RecordedResource {
  type: string;
  /** Pulumi logical name. */
  name: string;
  /** Inputs as sent to the engine, resolved. */
  inputs: Record<string, any>;
  /** ARM resource id the mock assigned. */
  id: string;
  /** Azure resource name the mock assigned (explicit, or generated like Pulumi autonaming). */
  azureName: string;
}

export const recorded: RecordedResource[] = [];

/** Inputs that carry a resource's explicit Azure name, by Pulumi type. */
const EXPLICIT_NAME_INPUT: Record<string, string> = {
  'azure-native:resources:ResourceGroup': 'resourceGroupName',
  'azure-native:storage:StorageAccount': 'accountName',
  'azure-native:storage:BlobContainer': 'containerName',
  'azure-native:sql:Server': 'serverName',
  'azure-native:sql:Database': 'databaseName',
  'azure-native:sql:FirewallRule': 'firewallRuleName',
  'azure-native:web:WebApp': 'name',
  'azure-native:web:AppServicePlan': 'name',
  'azure-native:operationalinsights:Workspace': 'workspaceName',
  'azure-native:applicationinsights:Component': 'resourceName',
};

const ARM_TYPE: Record<string, string> = {
  'azure-native:storage:StorageAccount': 'Microsoft.Storage/storageAccounts',
  'azure-native:sql:Server': 'Microsoft.Sql/servers',
  'azure-native:web:WebApp': 'Microsoft.Web/sites',
  'azure-native:web:AppServicePlan': 'Microsoft.Web/serverfarms',
  'azure-native:operationalinsights:Workspace': 'Microsoft.OperationalInsights/workspaces',
  'azure-native:applicationinsights:Component': 'Microsoft.Insights/components',
};

const resourceGroupId = (rg: string): string => `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${rg}`;
const armId = (rg: string, armType: string, name: string): string =>
  `${resourceGroupId(rg)}/providers/${armType}/${name}`;

/** Like azure-native autonaming: the logical name plus 8 random lowercase hex characters. */
function generatedName(logicalName: string): string {
  return `${logicalName}1a2b3c4d`;
}

function idFor(type: string, name: string, inputs: Record<string, any>): string {
  const rg = String(inputs.resourceGroupName);
  switch (type) {
    case 'azure-native:resources:ResourceGroup':
      return resourceGroupId(name);
    case 'azure-native:storage:BlobContainer':
      return `${armId(rg, ARM_TYPE['azure-native:storage:StorageAccount']!, inputs.accountName)}/blobServices/default/containers/${name}`;
    case 'azure-native:sql:Database':
      return `${armId(rg, 'Microsoft.Sql/servers', inputs.serverName)}/databases/${name}`;
    case 'azure-native:sql:FirewallRule':
      return `${armId(rg, 'Microsoft.Sql/servers', inputs.serverName)}/firewallRules/${name}`;
    case 'azure-native:authorization:RoleAssignment':
      return `${inputs.scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
    default:
      return armId(rg, ARM_TYPE[type] ?? type.replace(/^azure-native:/, ''), name);
  }
}

/** State Azure computes on create, for the outputs the program reads. */
function computedState(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  switch (type) {
    case 'azure-native:storage:StorageAccount':
      return {
        primaryEndpoints: {
          blob: `https://${name}.blob.core.windows.net/`,
          queue: `https://${name}.queue.core.windows.net/`,
          table: `https://${name}.table.core.windows.net/`,
        },
      };
    case 'azure-native:sql:Server':
      return { fullyQualifiedDomainName: `${name}.database.windows.net` };
    case 'azure-native:web:WebApp': {
      const systemAssigned = String(inputs.identity?.type ?? '').includes('SystemAssigned');
      return {
        defaultHostName: `${name}.azurewebsites.net`,
        identity: systemAssigned ? { type: inputs.identity.type, principalId: APP_PRINCIPAL_ID, tenantId: TENANT_ID } : undefined,
      };
    }
    case 'azure-native:applicationinsights:Component':
      return {
        connectionString:
          'InstrumentationKey=00000000-0000-0000-0000-00000000dddd;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/',
      };
    default:
      return {};
  }
}

export function installMocks(): Promise<void> {
  return pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        const explicitKey = EXPLICIT_NAME_INPUT[args.type];
        const explicitName = explicitKey === undefined ? undefined : args.inputs[explicitKey];
        const azureName = typeof explicitName === 'string' ? explicitName : generatedName(args.name);
        const id = idFor(args.type, azureName, args.inputs);
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs, id, azureName });
        return { id, state: { ...args.inputs, name: azureName, ...computedState(args.type, azureName, args.inputs) } };
      },
      call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        if (args.token === 'azure-native:authorization:getClientConfig') {
          return { subscriptionId: SUBSCRIPTION_ID, tenantId: TENANT_ID, clientId: 'mock-client', objectId: 'mock-object' };
        }
        throw new Error(`Unexpected invoke in infra tests: ${args.token}`);
      },
    },
    'hygge',
    'test',
    false,
  );
}

/** Resolves a Pulumi output (the mocks resolve everything: no preview unknowns). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** Every Pulumi resource reachable from a value (objects and arrays, recursively). */
export function resourcesIn(value: unknown, seen = new Set<unknown>()): pulumi.Resource[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  if (pulumi.Resource.isInstance(value)) return [value];
  if (pulumi.Output.isInstance(value)) return [];
  return Object.values(value as Record<string, unknown>).flatMap((v) => resourcesIn(v, seen));
}

/** Waits until every resource has registered and its id (for custom resources) has resolved. */
export async function settle(value: unknown): Promise<void> {
  const all = resourcesIn(value);
  await Promise.all(
    all.map(async (r) => {
      await valueOf(r.urn);
      if (pulumi.CustomResource.isInstance(r)) await valueOf(r.id);
    }),
  );
}

/** Recorded resources of one type whose logical name starts with a prefix (one scenario). */
export function recordedOf(type: string, logicalPrefix: string): RecordedResource[] {
  return recorded.filter((r) => r.type === type && r.name.startsWith(logicalPrefix));
}
