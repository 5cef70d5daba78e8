// RBAC for the function app's system-assigned identity, each role at the narrowest scope that
// works: a single storage account or the App Insights component, never the resource group or
// the subscription.
import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';

/**
 * Built-in role definition ids. They are the same in every Azure tenant; see
 * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
 */
export const BUILT_IN_ROLES = {
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
} as const;
export type BuiltInRole = keyof typeof BUILT_IN_ROLES;

/** Full resource id of a built-in role definition in the given subscription. */
export function roleDefinitionId(subscriptionId: pulumi.Input<string>, role: BuiltInRole): pulumi.Output<string> {
  return pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES[role]}`;
}

export interface AppRoleTargets {
  namePrefix: string;
  subscriptionId: pulumi.Input<string>;
  /** principalId of the function app's system-assigned identity. */
  principalId: pulumi.Input<string>;
  dataAccountId: pulumi.Input<string>;
  hostAccountId: pulumi.Input<string>;
  appInsightsId: pulumi.Input<string>;
}

export interface AppRoleAssignments {
  /** Read and write Parquet files in the data account. */
  dataBlobContributor: authorization.RoleAssignment;
  /** Functions host + Durable task hub blobs (leases, large messages), Flex deployment package. */
  hostBlobOwner: authorization.RoleAssignment;
  /** Durable task hub control and work-item queues. */
  hostQueueContributor: authorization.RoleAssignment;
  /** Durable task hub history and instance tables. */
  hostTableContributor: authorization.RoleAssignment;
  /** Send telemetry to App Insights, which only accepts Entra-authenticated ingestion. */
  appInsightsMetricsPublisher: authorization.RoleAssignment;
}

export function createAppRoleAssignments(targets: AppRoleTargets): AppRoleAssignments {
  const assign = (suffix: string, role: BuiltInRole, scope: pulumi.Input<string>): authorization.RoleAssignment =>
    new authorization.RoleAssignment(`${targets.namePrefix}-role-${suffix}`, {
      scope,
      roleDefinitionId: roleDefinitionId(targets.subscriptionId, role),
      principalId: targets.principalId,
      // Saying it is a service principal lets ARM skip the directory lookup, which fails for an
      // identity created seconds earlier (Entra replication delay).
      principalType: authorization.PrincipalType.ServicePrincipal,
    });

  return {
    dataBlobContributor: assign('data-blob-contributor', 'storageBlobDataContributor', targets.dataAccountId),
    hostBlobOwner: assign('host-blob-owner', 'storageBlobDataOwner', targets.hostAccountId),
    hostQueueContributor: assign('host-queue-contributor', 'storageQueueDataContributor', targets.hostAccountId),
    hostTableContributor: assign('host-table-contributor', 'storageTableDataContributor', targets.hostAccountId),
    appInsightsMetricsPublisher: assign('appi-metrics-publisher', 'monitoringMetricsPublisher', targets.appInsightsId),
  };
}
