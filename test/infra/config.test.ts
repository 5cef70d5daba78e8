// Stack settings validation: good settings become a typed config with defaults; bad ones fail
// before any resource is touched, naming the stack setting and saying what to do.
import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { parse as parseYaml } from 'yaml';
import {
  DEFAULTS,
  STACK_SETTINGS,
  parseStackConfig,
  readStackConfig,
  StackConfigError,
  type RawStackSettings,
} from '../../infra/config';

const INFRA_DIR = path.join(__dirname, '..', '..', 'infra');

const ADMIN_OBJECT_ID = '6f1e0c2a-4b7d-4e8f-9a3b-2c1d0e9f8a7b';
const minimal: RawStackSettings = { sqlAdminObjectId: ADMIN_OBJECT_ID, sqlAdminLogin: 'dba@contoso.example' };

function problemsOf(raw: RawStackSettings): string[] {
  try {
    parseStackConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(StackConfigError);
    return (error as StackConfigError).problems;
  }
  throw new Error('expected the stack config to be rejected');
}

describe('infra stack config: valid settings', () => {
  test('only the admin is required; everything else has a documented default', () => {
    expect(parseStackConfig(minimal)).toEqual({
      location: 'westeurope',
      namePrefix: 'hygge',
      sqlAdmin: { objectId: ADMIN_OBJECT_ID, login: 'dba@contoso.example', principalType: 'User' },
      allowedClientIps: [],
      database: { skuName: 'GP_S_Gen5_1', autoPauseDelayMinutes: 60, minCapacity: 0.5 },
      functionPlan: 'flex',
      dataContainerName: 'hygge',
      projectDir: 'project',
    });
  });

  test('every setting is honoured; a /32 is unwrapped to its single address', () => {
    const config = parseStackConfig({
      ...minimal,
      location: 'northeurope',
      namePrefix: 'hyggeci',
      sqlAdminPrincipalType: 'Group',
      allowedClientIps: JSON.stringify(['203.0.113.7', '198.51.100.23/32']),
      databaseSku: 'GP_S_Gen5_2',
      databaseAutoPauseDelayMinutes: '-1',
      databaseMinCapacity: '1',
      functionPlan: 'premium',
      dataContainer: 'parquet-out',
      projectDir: 'projects/demo',
    });
    expect(config).toMatchObject({
      location: 'northeurope',
      namePrefix: 'hyggeci',
      sqlAdmin: { principalType: 'Group' },
      allowedClientIps: ['203.0.113.7', '198.51.100.23'],
      database: { skuName: 'GP_S_Gen5_2', autoPauseDelayMinutes: -1, minCapacity: 1 },
      functionPlan: 'premium',
      dataContainerName: 'parquet-out',
      projectDir: 'projects/demo',
    });
  });
});

describe('infra stack config: bad settings fail with the setting name and a fix', () => {
  test.each<[string, RawStackSettings, RegExp]>([
    ['an invalid IP', { allowedClientIps: JSON.stringify(['203.0.113.7', '300.1.1.1']) }, /^hygge:allowedClientIps\[1\] is "300\.1\.1\.1", which is not a valid IPv4 address\. Use a single IPv4 address/],
    ['a CIDR wider than one address', { allowedClientIps: JSON.stringify(['10.0.0.0/24']) }, /^hygge:allowedClientIps\[0\] is "10\.0\.0\.0\/24", a CIDR range wider than one address.*List each client address separately/],
    ['0.0.0.0 as a client', { allowedClientIps: JSON.stringify(['0.0.0.0']) }, /^hygge:allowedClientIps\[0\] is 0\.0\.0\.0.*remove this entry/],
    ['a duplicate IP', { allowedClientIps: JSON.stringify(['192.0.2.1', '192.0.2.1/32']) }, /^hygge:allowedClientIps\[1\] is 192\.0\.2\.1, which is already listed/],
    ['an IPv6 address', { allowedClientIps: JSON.stringify(['2001:db8::1']) }, /^hygge:allowedClientIps\[0\] .*not a valid IPv4 address/],
    ['leading zeros', { allowedClientIps: JSON.stringify(['010.1.1.1']) }, /^hygge:allowedClientIps\[0\] .*not a valid IPv4 address/],
    ['a plain string instead of a list', { allowedClientIps: '203.0.113.7' }, /^hygge:allowedClientIps must be a list.*pulumi config set --path 'hygge:allowedClientIps\[0\]'/],
    ['a non-GUID admin object id', { sqlAdminObjectId: 'dba@contoso.example' }, /^hygge:sqlAdminObjectId is "dba@contoso\.example", which is not a GUID.*az ad signed-in-user show --query id/],
    ['an unknown plan', { functionPlan: 'consumption' }, /^hygge:functionPlan is "consumption", which is not one of flex, premium\. Set it with `pulumi config set hygge:functionPlan flex`/],
    ['an unknown admin principal type', { sqlAdminPrincipalType: 'Robot' }, /^hygge:sqlAdminPrincipalType is "Robot", which is not one of User, Group, Application/],
    ['a provisioned (non-serverless) SKU', { databaseSku: 'GP_Gen5_2' }, /^hygge:databaseSku is "GP_Gen5_2"; it must be a serverless General Purpose SKU/],
    ['an auto-pause delay too short', { databaseAutoPauseDelayMinutes: '5' }, /^hygge:databaseAutoPauseDelayMinutes is 5; .*from 15 to 10080, or -1/],
    ['an auto-pause delay that is not a number', { databaseAutoPauseDelayMinutes: 'an hour' }, /^hygge:databaseAutoPauseDelayMinutes is "an hour", which is not a number/],
    ['a min capacity above the SKU', { databaseMinCapacity: '4' }, /^hygge:databaseMinCapacity is 4; .*at most the SKU's vCores \(1\)/],
    ['a name prefix unusable for storage accounts', { namePrefix: 'Hygge-Test' }, /^hygge:namePrefix is "Hygge-Test"; it must be 2-10 lowercase letters or digits/],
    ['a display-name region', { location: 'West Europe' }, /^hygge:location is "West Europe", which is not an Azure region name.*westeurope/],
    ['an invalid container name', { dataContainer: 'Parquet_Files' }, /^hygge:dataContainer is "Parquet_Files"; a blob container name/],
    ['a project dir escaping the app', { projectDir: '../elsewhere' }, /^hygge:projectDir is "\.\.\/elsewhere"; it must be a path relative/],
  ])('%s', (_label, bad, expected) => {
    const problems = problemsOf({ ...minimal, ...bad });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  test('a missing admin object id and login are both reported, with the command that finds them', () => {
    const problems = problemsOf({});
    expect(problems).toEqual([
      expect.stringMatching(/^hygge:sqlAdminObjectId is missing.*pulumi config set hygge:sqlAdminObjectId "\$\(az ad signed-in-user show --query id -o tsv\)"/),
      expect.stringMatching(/^hygge:sqlAdminLogin is missing.*userPrincipalName/),
    ]);
  });

  test('every problem is reported at once, one per line, in the error message', () => {
    expect(() =>
      parseStackConfig({ ...minimal, functionPlan: 'basic', allowedClientIps: JSON.stringify(['1.2.3.4', '300.1.1.1', '10.0.0.0/8']) }),
    ).toThrow(
      /Invalid stack configuration \(3 problems\):\n {2}- hygge:allowedClientIps\[1\].*\n {2}- hygge:allowedClientIps\[2\].*\n {2}- hygge:functionPlan/,
    );
  });

  test('readStackConfig reads the hygge:* settings of the stack (as `pulumi config set` stores them)', () => {
    pulumi.runtime.setAllConfig({
      'hygge:sqlAdminObjectId': ADMIN_OBJECT_ID,
      'hygge:sqlAdminLogin': 'dba@contoso.example',
      'hygge:allowedClientIps': JSON.stringify(['203.0.113.7', '300.1.1.1']),
    });
    expect(() => readStackConfig()).toThrow(/hygge:allowedClientIps\[1\] is "300\.1\.1\.1"/);

    pulumi.runtime.setAllConfig({
      'hygge:sqlAdminObjectId': ADMIN_OBJECT_ID,
      'hygge:sqlAdminLogin': 'dba@contoso.example',
      'hygge:functionPlan': 'premium',
      'hygge:allowedClientIps': JSON.stringify(['203.0.113.7']),
    });
    expect(readStackConfig()).toMatchObject({ functionPlan: 'premium', allowedClientIps: ['203.0.113.7'] });
  });
});

describe('infra stack config: documentation stays true to the code', () => {
  test('Pulumi.dev.yaml.sample shows every setting, with the defaults, and passes validation', () => {
    const sample = parseYaml(fs.readFileSync(path.join(INFRA_DIR, 'Pulumi.dev.yaml.sample'), 'utf8')) as {
      config: Record<string, unknown>;
    };
    const keys = Object.keys(sample.config).map((k) => k.replace(/^hygge:/, ''));
    expect(keys.sort()).toEqual([...STACK_SETTINGS].sort());
    // As Pulumi hands them to the program: strings, lists as JSON.
    const raw: RawStackSettings = {};
    for (const key of STACK_SETTINGS) {
      const value = sample.config[`hygge:${key}`];
      raw[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    const config = parseStackConfig(raw);
    expect(config).toMatchObject({
      location: DEFAULTS.location,
      namePrefix: DEFAULTS.namePrefix,
      functionPlan: DEFAULTS.functionPlan,
      database: {
        skuName: DEFAULTS.databaseSku,
        autoPauseDelayMinutes: DEFAULTS.databaseAutoPauseDelayMinutes,
        minCapacity: DEFAULTS.databaseMinCapacity,
      },
      dataContainerName: DEFAULTS.dataContainer,
      projectDir: DEFAULTS.projectDir,
    });
  });

  test('the README settings table lists every setting', () => {
    const readme = fs.readFileSync(path.join(INFRA_DIR, '..', 'README.md'), 'utf8');
    for (const key of STACK_SETTINGS) expect(readme).toContain(`| \`hygge:${key}\` |`);
  });
});
