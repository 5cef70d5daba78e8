// Stack configuration: read every `hygge:*` setting once, validate it, and hand the rest of the
// program a typed EnvironmentConfig. Validation lives here (not in Azure) so a typo fails in
// seconds at `pulumi preview`, names the exact stack setting, and says how to fix it, instead of
// failing minutes into `pulumi up` with an ARM error about a resource.
import * as pulumi from '@pulumi/pulumi';

/** The config namespace: settings are `hygge:<key>` (Pulumi uses the project name by default). */
export const CONFIG_NAMESPACE = 'hygge';

export type FunctionPlan = 'flex' | 'premium';
export type SqlAdminPrincipalType = 'User' | 'Group' | 'Application';

export interface EnvironmentConfig {
  /** Azure region for every resource, e.g. `westeurope`. */
  location: string;
  /** Short lowercase prefix for resource names; Pulumi appends a random suffix for global uniqueness. */
  namePrefix: string;
  /** The Entra principal that administers the SQL server (the only way in: SQL logins are disabled). */
  sqlAdmin: { objectId: string; login: string; principalType: SqlAdminPrincipalType };
  /** Single IPv4 addresses allowed through the SQL firewall (your workstation, CI runner, ...). */
  allowedClientIps: string[];
  database: { skuName: string; autoPauseDelayMinutes: number; minCapacity: number };
  functionPlan: FunctionPlan;
  /** Blob container that holds hygge's Parquet files. */
  dataContainerName: string;
  /** Directory of the hygge project inside the deployed function app (HYGGE_PROJECT_DIR). */
  projectDir: string;
}

/** The stack settings, by key (without the `hygge:` namespace), as Pulumi stores them: strings. */
export const STACK_SETTINGS = [
  'location',
  'namePrefix',
  'sqlAdminObjectId',
  'sqlAdminLogin',
  'sqlAdminPrincipalType',
  'allowedClientIps',
  'databaseSku',
  'databaseAutoPauseDelayMinutes',
  'databaseMinCapacity',
  'functionPlan',
  'dataContainer',
  'projectDir',
] as const;
export type StackSettingKey = (typeof STACK_SETTINGS)[number];
export type RawStackSettings = Partial<Record<StackSettingKey, string>>;

export const DEFAULTS = {
  location: 'westeurope',
  namePrefix: 'hygge',
  sqlAdminPrincipalType: 'User',
  // Smallest serverless General Purpose database: 1 vCore max, pauses when idle, so a test
  // environment costs storage only while nobody uses it.
  databaseSku: 'GP_S_Gen5_1',
  databaseAutoPauseDelayMinutes: 60,
  databaseMinCapacity: 0.5,
  // Flex Consumption: scales to zero (no idle cost) and supports Durable Functions and
  // identity-based deployment storage; Elastic Premium is the always-warm alternative.
  functionPlan: 'flex',
  dataContainer: 'hygge',
  projectDir: 'project',
} as const;

/** Thrown when the stack configuration is invalid; lists every problem, one per line. */
export class StackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'StackConfigError';
  }
}

const setting = (key: string): string => `${CONFIG_NAMESPACE}:${key}`;
const configSet = (key: string, example: string): string =>
  `\`pulumi config set ${setting(key)} ${example}\``;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
// Storage account names are 3-24 lowercase letters/digits and globally unique; the program uses
// `<prefix>data` / `<prefix>host` and Pulumi appends 8 random characters, so 10 is the limit.
const NAME_PREFIX = /^[a-z][a-z0-9]{1,9}$/;
const REGION = /^[a-z][a-z0-9]+$/;
const SERVERLESS_GP_SKU = /^GP_S_Gen5_(\d+)$/;
const CONTAINER_NAME = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const FUNCTION_PLANS: readonly FunctionPlan[] = ['flex', 'premium'];
const PRINCIPAL_TYPES: readonly SqlAdminPrincipalType[] = ['User', 'Group', 'Application'];
// Azure SQL serverless: -1 disables auto-pause; otherwise 15 minutes to 7 days.
const AUTO_PAUSE_MIN = 15;
const AUTO_PAUSE_MAX = 10080;

/**
 * Validates one client address. Returns the normalized address, or a problem description.
 * Only single IPv4 addresses are allowed (a /32 is accepted and unwrapped): the firewall must open
 * to exactly the machines listed, never to a range someone typed by accident.
 */
export function parseClientIp(value: unknown, settingName: string): { ip: string } | { problem: string } {
  const fix = `Use a single IPv4 address such as 203.0.113.7 (find yours with \`curl -s https://api.ipify.org\`).`;
  if (typeof value !== 'string' || value.trim() === '') {
    return { problem: `${settingName} must be an IPv4 address string. ${fix}` };
  }
  let address = value.trim();
  const slash = address.indexOf('/');
  if (slash >= 0) {
    const prefix = address.slice(slash + 1);
    if (prefix !== '32') {
      return {
        problem:
          `${settingName} is "${value}", a CIDR range wider than one address; the SQL firewall only opens to ` +
          `single client addresses. List each client address separately (or use /32). ${fix}`,
      };
    }
    address = address.slice(0, slash);
  }
  const match = IPV4.exec(address);
  const octetsValid = match !== null && match.slice(1).every((o) => Number(o) <= 255 && String(Number(o)) === o);
  if (!octetsValid) {
    return { problem: `${settingName} is "${value}", which is not a valid IPv4 address. ${fix}` };
  }
  if (address === '0.0.0.0') {
    return {
      problem:
        `${settingName} is 0.0.0.0, which Azure SQL reads as "allow Azure services"; that rule is always ` +
        `created, so remove this entry. ${fix}`,
    };
  }
  return { ip: address };
}

function parseClientIpList(raw: string | undefined, problems: string[]): string[] {
  const key = 'allowedClientIps';
  if (raw === undefined || raw.trim() === '') return [];
  const howToSet = `Set it as a list: \`pulumi config set --path '${setting(key)}[0]' 203.0.113.7\`.`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.push(`${setting(key)} must be a list of IPv4 addresses, but is "${raw}". ${howToSet}`);
    return [];
  }
  if (!Array.isArray(parsed)) {
    problems.push(`${setting(key)} must be a list of IPv4 addresses, but is ${raw}. ${howToSet}`);
    return [];
  }
  const ips: string[] = [];
  parsed.forEach((entry: unknown, index) => {
    const name = `${setting(key)}[${index}]`;
    const result = parseClientIp(entry, name);
    if ('problem' in result) {
      problems.push(result.problem);
    } else if (ips.includes(result.ip)) {
      problems.push(`${name} is ${result.ip}, which is already listed; remove the duplicate.`);
    } else {
      ips.push(result.ip);
    }
  });
  return ips;
}

function parseNumber(key: StackSettingKey, raw: string | undefined, fallback: number, problems: string[]): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    problems.push(`${setting(key)} is "${raw}", which is not a number. Set it with ${configSet(key, String(fallback))}.`);
    return fallback;
  }
  return value;
}

function parseChoice<T extends string>(
  key: StackSettingKey,
  raw: string | undefined,
  choices: readonly T[],
  fallback: T,
  problems: string[],
): T {
  if (raw === undefined || raw.trim() === '') return fallback;
  const found = choices.find((c) => c === raw.trim());
  if (found === undefined) {
    problems.push(
      `${setting(key)} is "${raw}", which is not one of ${choices.join(', ')}. ` +
        `Set it with ${configSet(key, fallback)}.`,
    );
    return fallback;
  }
  return found;
}

/**
 * Validates raw stack settings (as stored by Pulumi: strings, lists as JSON) and returns the typed
 * config. Collects every problem before throwing, so one `pulumi preview` shows them all.
 */
export function parseStackConfig(raw: RawStackSettings): EnvironmentConfig {
  const problems: string[] = [];
  const text = (key: StackSettingKey): string | undefined => {
    const value = raw[key];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  const location = text('location') ?? DEFAULTS.location;
  if (!REGION.test(location)) {
    problems.push(
      `${setting('location')} is "${location}", which is not an Azure region name. Use the short form, e.g. ` +
        `${configSet('location', 'westeurope')} (list them with \`az account list-locations -o table\`).`,
    );
  }

  const namePrefix = text('namePrefix') ?? DEFAULTS.namePrefix;
  if (!NAME_PREFIX.test(namePrefix)) {
    problems.push(
      `${setting('namePrefix')} is "${namePrefix}"; it must be 2-10 lowercase letters or digits starting with a ` +
        `letter, because it becomes part of storage account names. Set it with ${configSet('namePrefix', 'hyggetest')}.`,
    );
  }

  const objectId = text('sqlAdminObjectId');
  if (objectId === undefined) {
    problems.push(
      `${setting('sqlAdminObjectId')} is missing: the Entra object id of the SQL administrator. For yourself: ` +
        `${configSet('sqlAdminObjectId', '"$(az ad signed-in-user show --query id -o tsv)"')}.`,
    );
  } else if (!GUID.test(objectId)) {
    problems.push(
      `${setting('sqlAdminObjectId')} is "${objectId}", which is not a GUID; it must be the Entra object id ` +
        `(not the login or display name). Find it with \`az ad signed-in-user show --query id -o tsv\`.`,
    );
  }

  const login = text('sqlAdminLogin');
  if (login === undefined) {
    problems.push(
      `${setting('sqlAdminLogin')} is missing: the SQL administrator's login (UPN or group name). For yourself: ` +
        `${configSet('sqlAdminLogin', '"$(az ad signed-in-user show --query userPrincipalName -o tsv)"')}.`,
    );
  }

  const principalType = parseChoice('sqlAdminPrincipalType', raw.sqlAdminPrincipalType, PRINCIPAL_TYPES, DEFAULTS.sqlAdminPrincipalType, problems);

  const allowedClientIps = parseClientIpList(raw.allowedClientIps, problems);

  const skuName = text('databaseSku') ?? DEFAULTS.databaseSku;
  const skuMatch = SERVERLESS_GP_SKU.exec(skuName);
  const maxVCores = skuMatch ? Number(skuMatch[1]) : Number.NaN;
  if (!skuMatch || maxVCores < 1) {
    problems.push(
      `${setting('databaseSku')} is "${skuName}"; it must be a serverless General Purpose SKU (GP_S_Gen5_<vCores>) ` +
        `so the database auto-pauses. Set it with ${configSet('databaseSku', DEFAULTS.databaseSku)}.`,
    );
  }

  const autoPauseDelayMinutes = parseNumber(
    'databaseAutoPauseDelayMinutes',
    raw.databaseAutoPauseDelayMinutes,
    DEFAULTS.databaseAutoPauseDelayMinutes,
    problems,
  );
  const autoPauseValid =
    Number.isInteger(autoPauseDelayMinutes) &&
    (autoPauseDelayMinutes === -1 || (autoPauseDelayMinutes >= AUTO_PAUSE_MIN && autoPauseDelayMinutes <= AUTO_PAUSE_MAX));
  if (!autoPauseValid) {
    problems.push(
      `${setting('databaseAutoPauseDelayMinutes')} is ${autoPauseDelayMinutes}; it must be a whole number of minutes ` +
        `from ${AUTO_PAUSE_MIN} to ${AUTO_PAUSE_MAX}, or -1 to never pause. ` +
        `Set it with ${configSet('databaseAutoPauseDelayMinutes', '60')}.`,
    );
  }

  const minCapacity = parseNumber('databaseMinCapacity', raw.databaseMinCapacity, DEFAULTS.databaseMinCapacity, problems);
  if (!(minCapacity >= 0.5) || (Number.isFinite(maxVCores) && minCapacity > maxVCores)) {
    problems.push(
      `${setting('databaseMinCapacity')} is ${minCapacity}; it must be at least 0.5 vCores and at most the SKU's ` +
        `vCores (${Number.isFinite(maxVCores) ? maxVCores : 'see hygge:databaseSku'}). ` +
        `Set it with ${configSet('databaseMinCapacity', '0.5')}.`,
    );
  }

  const functionPlan = parseChoice('functionPlan', raw.functionPlan, FUNCTION_PLANS, DEFAULTS.functionPlan, problems);

  const dataContainerName = text('dataContainer') ?? DEFAULTS.dataContainer;
  if (!CONTAINER_NAME.test(dataContainerName)) {
    problems.push(
      `${setting('dataContainer')} is "${dataContainerName}"; a blob container name is 3-63 lowercase letters, ` +
        `digits and single hyphens. Set it with ${configSet('dataContainer', DEFAULTS.dataContainer)}.`,
    );
  }

  const projectDir = text('projectDir') ?? DEFAULTS.projectDir;
  if (projectDir.startsWith('/') || projectDir.split(/[\\/]/).includes('..')) {
    problems.push(
      `${setting('projectDir')} is "${projectDir}"; it must be a path relative to the function app's root ` +
        `without "..". Set it with ${configSet('projectDir', DEFAULTS.projectDir)}.`,
    );
  }

  if (problems.length > 0) throw new StackConfigError(problems);

  return {
    location,
    namePrefix,
    // Both are defined here: a missing value was reported as a problem above.
    sqlAdmin: { objectId: objectId as string, login: login as string, principalType },
    allowedClientIps,
    database: { skuName, autoPauseDelayMinutes, minCapacity },
    functionPlan,
    dataContainerName,
    projectDir,
  };
}

/** Reads the current stack's `hygge:*` settings and validates them. */
export function readStackConfig(): EnvironmentConfig {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const raw: RawStackSettings = {};
  for (const key of STACK_SETTINGS) {
    const value = config.get(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseStackConfig(raw);
}
