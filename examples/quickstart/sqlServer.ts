/**
 * The SQL Server the quickstart's `warehouse` connection points at: the server named by
 * SQL_SERVER when it is set (a real SQL Server or Azure SQL, with the env's auth), otherwise
 * the in-process TDS stand-in from test/sqlserver, with its default SQL login.
 */
import { DEFAULT_USERS, startSqlServer } from '../../test/sqlserver';

export interface WarehouseServer {
  /** for the output: where the SQL flows run */
  describe: string;
  standIn: boolean;
  stop(): Promise<void>;
}

/** For a stand-in, sets the SQL_* variables hygge.yml reads (an outer SQL_AUTH or SQL_ENCRYPT meant for another server must not leak in). */
export async function useWarehouse(env: NodeJS.ProcessEnv): Promise<WarehouseServer> {
  if (env.SQL_SERVER) {
    const where = `${env.SQL_SERVER}:${env.SQL_PORT ?? 1433}/${env.SQL_DATABASE ?? 'hygge'}`;
    return { describe: `SQL Server at ${where} (from SQL_SERVER)`, standIn: false, stop: async () => {} };
  }
  // encryption 'off' matches the connection's `encrypt: ${SQL_ENCRYPT:-false}`
  const server = await startSqlServer({ encryption: 'off', databases: [env.SQL_DATABASE || 'hygge'] });
  const sa = DEFAULT_USERS[0]!;
  Object.assign(env, {
    SQL_SERVER: server.host,
    SQL_PORT: String(server.port),
    SQL_USER: sa.name,
    SQL_PASSWORD: sa.password,
    SQL_AUTH: 'sql',
    SQL_ENCRYPT: 'false',
  });
  return {
    describe: `the local SQL Server stand-in at ${server.host}:${server.port} (test/sqlserver; rows live in memory)`,
    standIn: true,
    stop: () => server.close(),
  };
}
