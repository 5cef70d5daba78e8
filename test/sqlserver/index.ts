/**
 * A SQL Server stand-in that speaks TDS 7.4 / 8.0 over TCP, for testing through the real
 * mssql/tedious drivers (as Azurite is for Blob storage). See README.md.
 */
export { startSqlServer, DEFAULT_USERS, type SqlServerOptions, type SqlServerStandIn } from './server';
export type { UserConfig } from './auth';
export { Faults, AZURE_ERRORS, type InjectedError } from './faults';
export { Counters } from './counters';
export { Catalog, type ColumnSpec } from './catalog/catalog';
export { Table, type Row } from './catalog/table';
export { SqlError } from './errors';
export { Decimal, Temporal, type Value, type SqlType } from './types';
