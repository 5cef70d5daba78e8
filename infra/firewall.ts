// SQL firewall: Azure services (so the function app, whose outbound addresses are not fixed, can
// connect) plus exactly the client addresses in the stack config, one address per rule. Nothing
// wider is ever created: config.ts rejects ranges, so a typo cannot open the server to a network.
import * as pulumi from '@pulumi/pulumi';
import * as sql from '@pulumi/azure-native/sql';
import type { EnvironmentConfig } from './config';
import type { Placement } from './resourceGroup';

/** Azure's well-known name for the 0.0.0.0 rule that admits connections from Azure services. */
export const AZURE_SERVICES_RULE_NAME = 'AllowAllWindowsAzureIps';

/** Rule name for one client address: `client-203-0-113-7`. */
export function clientRuleName(ip: string): string {
  return `client-${ip.replace(/\./g, '-')}`;
}

export function createSqlFirewall(
  config: EnvironmentConfig,
  placement: Placement,
  serverName: pulumi.Input<string>,
): sql.FirewallRule[] {
  const rule = (ruleName: string, ip: string): sql.FirewallRule =>
    new sql.FirewallRule(`${config.namePrefix}-fw-${ruleName}`, {
      resourceGroupName: placement.resourceGroupName,
      serverName,
      firewallRuleName: ruleName,
      // Start = end: every rule admits a single address.
      startIpAddress: ip,
      endIpAddress: ip,
    });

  // 0.0.0.0-0.0.0.0 is Azure's marker for "Azure services", not a real range. Entra-only
  // authentication still applies, so this admits connections, not access.
  const azureServices = rule(AZURE_SERVICES_RULE_NAME, '0.0.0.0');
  const clients = config.allowedClientIps.map((ip) => rule(clientRuleName(ip), ip));
  return [azureServices, ...clients];
}
