import type { EntityConfig, ProjectConfig } from '../../../src/config/project';
import { OptionsSchema, type HomeConfig, type StoreConfig } from '../../../src/config/schema';

/** A validated-looking project built in code, for pure planning tests. */
export function project(flows: Record<string, Array<Partial<EntityConfig> & { name: string }>>, extra: Partial<ProjectConfig> = {}): ProjectConfig {
  const parquetHome: HomeConfig = { type: 'parquet', path: 'data/in' };
  const parquetStore: StoreConfig = { type: 'parquet', path: 'data/out' };
  return {
    dir: '/tmp/project',
    name: 'test',
    options: OptionsSchema.parse({}),
    connections: {},
    schedules: [],
    ...extra,
    flows: Object.fromEntries(
      Object.entries(flows).map(([flow, entities]) => [
        flow,
        {
          name: flow,
          enabled: true,
          file: `flows/${flow}/flow.yml`,
          entities: entities.map((e) => ({
            flow,
            home: parquetHome,
            store: parquetStore,
            run_type: 'full_drop' as const,
            enabled: true,
            source_file: `flows/${flow}/flow.yml`,
            ...e,
          })),
        },
      ]),
    ),
  };
}

export function mssqlConnection(pool_size: number) {
  return {
    type: 'mssql' as const,
    server: 'sql.example',
    database: 'db',
    port: 1433,
    pool_size,
    auth: 'managed_identity' as const,
    client_secret_env: 'AZURE_CLIENT_SECRET',
    user_env: 'SQL_USER',
    password_env: 'SQL_PASSWORD',
    encrypt: true as const,
    trust_server_certificate: false,
    connect_timeout_ms: 1000,
    request_timeout_ms: 1000,
  };
}
