/**
 * The one schema for hygge's configuration. Every YAML file is validated against it, and the
 * TypeScript types used across the engine are inferred from it, so the two cannot drift apart.
 *
 * Objects are strict: an unknown key is an error (so `stroe:` is reported, with a suggestion,
 * instead of being ignored as the original hygge did).
 */
import { z } from 'zod';

const positiveInt = z.number().int().positive();
const name = z.string().min(1);

// ─── connections ────────────────────────────────────────────────────────────────────────

export const SqlAuthSchema = z.enum(['managed_identity', 'default', 'service_principal', 'sql']);

/**
 * A pooled SQL Server / Azure SQL connection. `pool_size` is both the pool's size and the cap
 * on entities that may use this connection at the same moment. Secrets never live in config:
 * they are read from the environment variables named here, at connect time.
 */
export const MssqlConnectionSchema = z.strictObject({
  type: z.literal('mssql'),
  server: name,
  database: name,
  port: positiveInt.max(65535).default(1433),
  pool_size: positiveInt.default(5),
  auth: SqlAuthSchema.default('managed_identity'),
  /** user-assigned managed identity, or the service principal's application id */
  client_id: z.string().optional(),
  tenant_id: z.string().optional(),
  client_secret_env: z.string().default('AZURE_CLIENT_SECRET'),
  user_env: z.string().default('SQL_USER'),
  password_env: z.string().default('SQL_PASSWORD'),
  encrypt: z.union([z.literal('strict'), z.boolean()]).default(true),
  trust_server_certificate: z.boolean().default(false),
  connect_timeout_ms: positiveInt.default(30_000),
  request_timeout_ms: positiveInt.default(600_000),
});

export const BlobAuthSchema = z.enum(['managed_identity', 'default', 'connection_string']);

/** An Azure Blob container (or Azurite). Not pooled: jobs using only Blob are capped by options.concurrency. */
export const BlobConnectionSchema = z
  .strictObject({
    type: z.literal('blob'),
    account_url: z.string().url().optional(),
    container: name,
    auth: BlobAuthSchema.default('managed_identity'),
    client_id: z.string().optional(),
    connection_string_env: z.string().default('AZURE_STORAGE_CONNECTION_STRING'),
  })
  .refine((c) => c.auth === 'connection_string' || c.account_url !== undefined, {
    message: 'account_url is required unless auth is connection_string',
    path: ['account_url'],
  });

export const ConnectionSchema = z.discriminatedUnion('type', [MssqlConnectionSchema, BlobConnectionSchema]);

/** A connection given inline in a home or store instead of by name: it gets its own pool. */
export const InlineMssqlConnectionSchema = MssqlConnectionSchema.omit({ type: true });

// ─── homes (sources) ────────────────────────────────────────────────────────────────────

export const ParquetHomeSchema = z.strictObject({
  type: z.literal('parquet'),
  /** name of a `blob` connection; absent means the local file system (relative to the project) */
  storage: z.string().optional(),
  /** file, folder or glob; `{entity}` is substituted, otherwise `<path>/<entity>/` is read */
  path: name,
  columns: z.array(name).optional(),
  batch_size: positiveInt.optional(),
});

export const MssqlHomeSchema = z
  .strictObject({
    type: z.literal('mssql'),
    connection: z.union([name, InlineMssqlConnectionSchema]),
    /** `dbo.{entity}`; exactly one of table and query */
    table: z.string().optional(),
    query: z.string().optional(),
    columns: z.array(name).optional(),
    batch_size: positiveInt.optional(),
  })
  .refine((h) => (h.table === undefined) !== (h.query === undefined), {
    message: 'give exactly one of table and query',
    path: ['table'],
  });

export const HomeSchema = z.discriminatedUnion('type', [ParquetHomeSchema, MssqlHomeSchema]);

// ─── stores (destinations) ──────────────────────────────────────────────────────────────

export const CompressionSchema = z.enum(['snappy', 'zstd', 'gzip', 'none']);

export const ParquetStoreSchema = z.strictObject({
  type: z.literal('parquet'),
  storage: z.string().optional(),
  /** root folder; parts go to `<path>/<entity>/part-00000.parquet` (or where `{entity}` says) */
  path: name,
  compression: CompressionSchema.optional(),
  row_group_size: positiveInt.optional(),
  rows_per_file: positiveInt.optional(),
});

export const WriteStrategySchema = z.enum(['append', 'replace', 'truncate_insert', 'merge']);

export const MssqlStoreSchema = z
  .strictObject({
    type: z.literal('mssql'),
    connection: z.union([name, InlineMssqlConnectionSchema]),
    table: name,
    /** default: replace for full_drop, append for incremental */
    write: WriteStrategySchema.optional(),
    key_columns: z.array(name).optional(),
    batch_size: positiveInt.default(102_400),
    parallel_workers: positiveInt.default(8),
    create_table: z.boolean().default(true),
  })
  .refine((s) => s.write !== 'merge' || (s.key_columns?.length ?? 0) > 0, {
    message: 'write: merge needs key_columns',
    path: ['key_columns'],
  });

export const StoreSchema = z.discriminatedUnion('type', [ParquetStoreSchema, MssqlStoreSchema]);

// ─── flows and entities ─────────────────────────────────────────────────────────────────

export const RunTypeSchema = z.enum(['full_drop', 'incremental']);

export const WatermarkSchema = z.strictObject({ column: name });

/**
 * What an entity may set (inline, in `defaults:`, or in flows/<flow>/entities/<name>.yml).
 * `home` and `store` are partial overrides merged over the flow's; the merged result is
 * validated against HomeSchema/StoreSchema.
 */
export const EntitySettingsSchema = z.strictObject({
  home: z.record(z.string(), z.unknown()).optional(),
  store: z.record(z.string(), z.unknown()).optional(),
  run_type: RunTypeSchema.optional(),
  watermark: WatermarkSchema.optional(),
  enabled: z.boolean().optional(),
});

export const EntityObjectSchema = EntitySettingsSchema.extend({ name: name.optional() });

export const FlowFileSchema = z.strictObject({
  name: z.string().optional(),
  home: HomeSchema,
  store: StoreSchema,
  run_type: RunTypeSchema.default('full_drop'),
  defaults: EntitySettingsSchema.optional(),
  entities: z.array(z.union([name, EntityObjectSchema])).default([]),
  enabled: z.boolean().default(true),
});

// ─── project ────────────────────────────────────────────────────────────────────────────

export const RetryPolicySchema = z.strictObject({
  attempts: positiveInt.default(3),
  initial_delay_ms: positiveInt.default(1_000),
  max_delay_ms: positiveInt.default(30_000),
});

/** Where the journal and watermarks live: a local folder, or a prefix in a blob connection. */
export const StateLocationSchema = z.union([
  name,
  z.strictObject({ storage: name, path: name }),
]);

export const OptionsSchema = z.strictObject({
  /** entities running at once when no connection's pool_size caps them further */
  concurrency: positiveInt.default(4),
  batch_size: positiveInt.default(50_000),
  compression: CompressionSchema.default('snappy'),
  row_group_size: positiveInt.default(122_880),
  rows_per_file: positiveInt.default(1_000_000),
  /** worker threads for Parquet encode/decode; 0 = in the main thread */
  workers: z.number().int().min(0).optional(),
  state: StateLocationSchema.default('.hygge'),
  retry: RetryPolicySchema.prefault({}),
});

export const ScheduleSchema = z.strictObject({
  name: name.regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'letters, digits, _ and -, starting with a letter'),
  /** six-field NCRONTAB: second minute hour day month weekday */
  cron: name,
  flows: z.array(name).optional(),
  entities: z.array(name).optional(),
  run_type: RunTypeSchema.optional(),
});

export const ProjectFileSchema = z.strictObject({
  name: name,
  options: OptionsSchema.prefault({}),
  connections: z.record(z.string(), ConnectionSchema).default({}),
  schedules: z.array(ScheduleSchema).default([]),
  /** folder holding <flow>/flow.yml, relative to hygge.yml */
  flows_dir: z.string().default('flows'),
});

// ─── inferred types ─────────────────────────────────────────────────────────────────────

export type MssqlConnectionConfig = z.infer<typeof MssqlConnectionSchema>;
export type InlineMssqlConnectionConfig = z.infer<typeof InlineMssqlConnectionSchema>;
export type BlobConnectionConfig = z.infer<typeof BlobConnectionSchema>;
export type ConnectionConfig = z.infer<typeof ConnectionSchema>;
export type ParquetHomeConfig = z.infer<typeof ParquetHomeSchema>;
export type MssqlHomeConfig = z.infer<typeof MssqlHomeSchema>;
export type HomeConfig = z.infer<typeof HomeSchema>;
export type Compression = z.infer<typeof CompressionSchema>;
export type ParquetStoreConfig = z.infer<typeof ParquetStoreSchema>;
export type WriteStrategy = z.infer<typeof WriteStrategySchema>;
export type MssqlStoreConfig = z.infer<typeof MssqlStoreSchema>;
export type StoreConfig = z.infer<typeof StoreSchema>;
export type RunType = z.infer<typeof RunTypeSchema>;
export type WatermarkConfig = z.infer<typeof WatermarkSchema>;
export type FlowFile = z.infer<typeof FlowFileSchema>;
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;
export type StateLocation = z.infer<typeof StateLocationSchema>;
export type Options = z.infer<typeof OptionsSchema>;
export type Schedule = z.infer<typeof ScheduleSchema>;
export type ProjectFile = z.infer<typeof ProjectFileSchema>;
