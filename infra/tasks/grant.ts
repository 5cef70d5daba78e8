/**
 * `npm run infra:grant`: after `pulumi up`, creates the database user for the function app's
 * managed identity, connecting as you (DefaultAzureCredential: `az login`) through hygge's own
 * SQL Server connection code. Running it twice is harmless.
 */
import { TYPES } from 'tedious';
import { OptionsSchema } from '../../src/config/schema';
import type { ProjectConfig } from '../../src/config/project';
import { poolFor } from '../../src/connections/mssql/pool';
import { runSql } from '../../src/connections/mssql/execute';
import { RunResources } from '../../src/engine/runResources';
import { HyggeError } from '../../src/errors';
import { grantStatements } from './grantStatements';
import { deployedEnvironment } from './stackOutputs';

export async function grantFunctionAppAccess(server: string, database: string, principal: string, port = 1433): Promise<void> {
  const project: ProjectConfig = {
    dir: process.cwd(),
    name: 'infra-grant',
    options: OptionsSchema.parse({ retry: { attempts: 3 } }),
    connections: {},
    schedules: [],
    flows: {},
  };
  const resources = new RunResources(project);
  const connection = {
    server,
    database,
    port,
    pool_size: 1,
    auth: 'default' as const,
    client_secret_env: 'AZURE_CLIENT_SECRET',
    user_env: 'SQL_USER',
    password_env: 'SQL_PASSWORD',
    encrypt: true as const,
    trust_server_certificate: false,
    connect_timeout_ms: 60_000, // a paused serverless database takes up to a minute to resume
    request_timeout_ms: 60_000,
  };
  try {
    const session = await poolFor(resources, project, connection).acquire();
    try {
      for (const statement of grantStatements(principal)) {
        await runSql(session.connection, statement, [{ name: 'principal', type: TYPES.NVarChar, value: principal }]);
      }
    } finally {
      session.release();
    }
  } finally {
    await resources.close();
  }
}

async function main(): Promise<void> {
  const env = deployedEnvironment();
  console.log(`Granting ${env.functionAppName} read, write and DDL on ${env.sqlServerFqdn}/${env.sqlDatabaseName} …`);
  await grantFunctionAppAccess(env.sqlServerFqdn, env.sqlDatabaseName, env.functionAppName);
  console.log(`✓ ${env.functionAppName} is a user of ${env.sqlDatabaseName} (db_datareader, db_datawriter, db_ddladmin).`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof HyggeError ? err.describe() : (err as Error).message);
    console.error(
      '  → If the firewall refused you: add your address to hygge:allowedClientIps and run "pulumi up". ' +
        'If the login failed: sign in with "az login" as the hygge:sqlAdminLogin administrator.',
    );
    process.exit(1);
  });
}
