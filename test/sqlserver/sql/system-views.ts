import type { Catalog, Database } from '../catalog/catalog';
import { ALL_TYPE_NAMES, declaration, makeType, temporalFromDate, typeMetadata, type SqlType, type Value } from '../types';
import type { ResultColumn } from '../tokens/colmetadata';

/**
 * The catalog views schema discovery uses, generated from the catalog on each query:
 * INFORMATION_SCHEMA.{TABLES, COLUMNS, SCHEMATA, TABLE_CONSTRAINTS, KEY_COLUMN_USAGE} and
 * sys.{tables, objects, schemas, columns, types, indexes, index_columns, databases}.
 * Column names and types follow SQL Server's definitions of these views.
 */
export interface VirtualTable {
  columns: ResultColumn[];
  rows: Value[][];
}

const t = (text: string) => makeType(text.replace(/\(.*$/, ''), /\((\d+)\)/.exec(text) ? [Number(/\((\d+)\)/.exec(text)![1])] : []);
const col = (name: string, type: string, nullable = false): ResultColumn => ({ name, type: t(type), nullable });
const SYSNAME = 'nvarchar(128)';

type ViewBuilder = (catalog: Catalog, db: Database) => VirtualTable;

const informationSchema: Record<string, ViewBuilder> = {
  tables: (_c, db) => ({
    columns: [col('TABLE_CATALOG', SYSNAME, true), col('TABLE_SCHEMA', SYSNAME, true), col('TABLE_NAME', SYSNAME), col('TABLE_TYPE', 'varchar(10)', true)],
    rows: [...db.tables.values()].map((tb) => [db.name, tb.schema, tb.name, 'BASE TABLE']),
  }),
  columns: (_c, db) => ({
    columns: [
      col('TABLE_CATALOG', SYSNAME, true), col('TABLE_SCHEMA', SYSNAME, true), col('TABLE_NAME', SYSNAME), col('COLUMN_NAME', SYSNAME, true),
      col('ORDINAL_POSITION', 'int', true), col('COLUMN_DEFAULT', 'nvarchar(4000)', true), col('IS_NULLABLE', 'varchar(3)', true),
      col('DATA_TYPE', SYSNAME, true), col('CHARACTER_MAXIMUM_LENGTH', 'int', true), col('CHARACTER_OCTET_LENGTH', 'int', true),
      col('NUMERIC_PRECISION', 'tinyint', true), col('NUMERIC_PRECISION_RADIX', 'smallint', true), col('NUMERIC_SCALE', 'int', true),
      col('DATETIME_PRECISION', 'smallint', true), col('CHARACTER_SET_NAME', SYSNAME, true), col('COLLATION_NAME', SYSNAME, true),
    ],
    rows: [...db.tables.values()].flatMap((tb) =>
      tb.columns.map((c, i) => {
        const m = typeMetadata(c.type);
        const isText = ['char', 'varchar', 'nchar', 'nvarchar'].includes(c.type.name);
        return [
          db.name, tb.schema, tb.name, c.name, i + 1, null, c.nullable ? 'YES' : 'NO', c.type.name,
          m.characterMaximumLength, m.characterOctetLength, m.numericPrecision, m.numericPrecisionRadix, m.numericScale,
          m.datetimePrecision, isText ? (c.type.name.startsWith('n') ? 'UNICODE' : 'iso_1') : null, isText ? 'SQL_Latin1_General_CP1_CI_AS' : null,
        ];
      }),
    ),
  }),
  schemata: (_c, db) => ({
    columns: [col('CATALOG_NAME', SYSNAME, true), col('SCHEMA_NAME', SYSNAME), col('SCHEMA_OWNER', SYSNAME, true), col('DEFAULT_CHARACTER_SET_CATALOG', 'varchar(6)', true), col('DEFAULT_CHARACTER_SET_SCHEMA', 'varchar(3)', true), col('DEFAULT_CHARACTER_SET_NAME', SYSNAME, true)],
    rows: [...db.schemas.values()].map((s) => [db.name, s.name, 'dbo', null, null, 'iso_1']),
  }),
  table_constraints: (_c, db) => ({
    columns: [col('CONSTRAINT_CATALOG', SYSNAME, true), col('CONSTRAINT_SCHEMA', SYSNAME, true), col('CONSTRAINT_NAME', SYSNAME), col('TABLE_CATALOG', SYSNAME, true), col('TABLE_SCHEMA', SYSNAME, true), col('TABLE_NAME', SYSNAME), col('CONSTRAINT_TYPE', 'varchar(11)', true), col('IS_DEFERRABLE', 'varchar(2)'), col('INITIALLY_DEFERRED', 'varchar(2)')],
    rows: [...db.tables.values()].filter((tb) => tb.primaryKey).map((tb) => [db.name, tb.schema, tb.primaryKey!.name, db.name, tb.schema, tb.name, 'PRIMARY KEY', 'NO', 'NO']),
  }),
  key_column_usage: (_c, db) => ({
    columns: [col('CONSTRAINT_CATALOG', SYSNAME, true), col('CONSTRAINT_SCHEMA', SYSNAME, true), col('CONSTRAINT_NAME', SYSNAME), col('TABLE_CATALOG', SYSNAME, true), col('TABLE_SCHEMA', SYSNAME, true), col('TABLE_NAME', SYSNAME), col('COLUMN_NAME', SYSNAME, true), col('ORDINAL_POSITION', 'int')],
    rows: [...db.tables.values()].filter((tb) => tb.primaryKey).flatMap((tb) =>
      tb.primaryKey!.columns.map((ci, i) => [db.name, tb.schema, tb.primaryKey!.name, db.name, tb.schema, tb.name, tb.columns[ci].name, i + 1]),
    ),
  }),
};

const schemaId = (db: Database, name: string) => db.schema(name)?.id ?? 1;
const dt = (d: Date) => temporalFromDate(d);

const sys: Record<string, ViewBuilder> = {
  tables: (_c, db) => ({
    columns: [col('name', SYSNAME), col('object_id', 'int'), col('principal_id', 'int', true), col('schema_id', 'int'), col('parent_object_id', 'int'), col('type', 'char(2)', true), col('type_desc', 'nvarchar(60)', true), col('create_date', 'datetime'), col('modify_date', 'datetime'), col('is_ms_shipped', 'bit'), col('temporal_type', 'tinyint', true)],
    rows: [...db.tables.values()].map((tb) => [tb.name, tb.objectId, null, schemaId(db, tb.schema), 0, 'U ', 'USER_TABLE', dt(tb.createDate), dt(tb.modifyDate), false, 0]),
  }),
  objects: (_c, db) => ({
    columns: [col('name', SYSNAME), col('object_id', 'int'), col('principal_id', 'int', true), col('schema_id', 'int'), col('parent_object_id', 'int'), col('type', 'char(2)', true), col('type_desc', 'nvarchar(60)', true), col('create_date', 'datetime'), col('modify_date', 'datetime'), col('is_ms_shipped', 'bit')],
    rows: [...db.tables.values()].flatMap((tb) => {
      const rows: Value[][] = [[tb.name, tb.objectId, null, schemaId(db, tb.schema), 0, 'U ', 'USER_TABLE', dt(tb.createDate), dt(tb.modifyDate), false]];
      if (tb.primaryKey) rows.push([tb.primaryKey.name, tb.primaryKey.objectId, null, schemaId(db, tb.schema), tb.objectId, 'PK', 'PRIMARY_KEY_CONSTRAINT', dt(tb.createDate), dt(tb.createDate), false]);
      return rows;
    }),
  }),
  schemas: (_c, db) => ({
    columns: [col('name', SYSNAME), col('schema_id', 'int'), col('principal_id', 'int', true)],
    rows: [...db.schemas.values()].map((s) => [s.name, s.id, 1]),
  }),
  columns: (_c, db) => ({
    columns: [col('object_id', 'int'), col('name', SYSNAME, true), col('column_id', 'int'), col('system_type_id', 'tinyint'), col('user_type_id', 'int'), col('max_length', 'smallint'), col('precision', 'tinyint'), col('scale', 'tinyint'), col('collation_name', SYSNAME, true), col('is_nullable', 'bit', true), col('is_identity', 'bit'), col('is_computed', 'bit')],
    rows: [...db.tables.values()].flatMap((tb) =>
      tb.columns.map((c, i) => {
        const m = typeMetadata(c.type);
        const isText = ['char', 'varchar', 'nchar', 'nvarchar'].includes(c.type.name);
        return [tb.objectId, c.name, i + 1, m.systemTypeId, m.systemTypeId, m.maxLength, m.precision, m.scale, isText ? 'SQL_Latin1_General_CP1_CI_AS' : null, c.nullable, c.identity !== undefined, false];
      }),
    ),
  }),
  types: () => ({
    columns: [col('name', SYSNAME), col('system_type_id', 'tinyint'), col('user_type_id', 'int'), col('schema_id', 'int'), col('principal_id', 'int', true), col('max_length', 'smallint'), col('precision', 'tinyint'), col('scale', 'tinyint'), col('collation_name', SYSNAME, true), col('is_nullable', 'bit', true), col('is_user_defined', 'bit')],
    rows: ALL_TYPE_NAMES.map((name) => {
      const type: SqlType = defaultTypeFor(name);
      const m = typeMetadata(type);
      const isText = ['char', 'varchar', 'nchar', 'nvarchar'].includes(name);
      const maxLength = ['char', 'varchar', 'binary', 'varbinary'].includes(name) ? 8000 : ['nchar', 'nvarchar'].includes(name) ? 8000 : m.maxLength;
      return [name, m.systemTypeId, m.systemTypeId, 4, null, maxLength, m.precision, m.scale, isText ? 'SQL_Latin1_General_CP1_CI_AS' : null, true, false];
    }),
  }),
  indexes: (_c, db) => ({
    columns: [col('object_id', 'int'), col('name', SYSNAME, true), col('index_id', 'int'), col('type', 'tinyint'), col('type_desc', 'nvarchar(60)', true), col('is_unique', 'bit', true), col('is_primary_key', 'bit', true), col('is_unique_constraint', 'bit', true), col('is_disabled', 'bit', true)],
    rows: [...db.tables.values()].map((tb) =>
      tb.primaryKey
        ? [tb.objectId, tb.primaryKey.name, 1, 1, 'CLUSTERED', true, true, false, false]
        : [tb.objectId, null, 0, 0, 'HEAP', false, false, false, false],
    ),
  }),
  index_columns: (_c, db) => ({
    columns: [col('object_id', 'int'), col('index_id', 'int'), col('index_column_id', 'int'), col('column_id', 'int'), col('key_ordinal', 'tinyint'), col('partition_ordinal', 'tinyint'), col('is_descending_key', 'bit', true), col('is_included_column', 'bit', true)],
    rows: [...db.tables.values()].filter((tb) => tb.primaryKey).flatMap((tb) =>
      tb.primaryKey!.columns.map((ci, i) => [tb.objectId, 1, i + 1, ci + 1, i + 1, 0, false, false]),
    ),
  }),
  databases: (catalog) => ({
    columns: [col('name', SYSNAME), col('database_id', 'int'), col('collation_name', SYSNAME, true), col('compatibility_level', 'tinyint'), col('state_desc', 'nvarchar(60)', true)],
    rows: [...catalog.databases.values()].map((d) => [d.name, d.id, 'SQL_Latin1_General_CP1_CI_AS', 160, 'ONLINE']),
  }),
};

function defaultTypeFor(name: SqlType['name']): SqlType {
  switch (name) {
    case 'decimal': case 'numeric': return { name, precision: 38, scale: 38 };
    case 'time': case 'datetime2': case 'datetimeoffset': return { name, scale: 7 };
    case 'char': case 'varchar': case 'nchar': case 'nvarchar': case 'binary': case 'varbinary': return { name, length: 1 };
    default: return { name };
  }
}

/** The view named schema.name (INFORMATION_SCHEMA or sys), or undefined if it is not one. */
export function systemView(catalog: Catalog, db: Database, schema: string, name: string): VirtualTable | undefined | null {
  const s = schema.toLowerCase();
  const views = s === 'information_schema' ? informationSchema : s === 'sys' ? sys : undefined;
  if (!views) return undefined;
  const build = views[name.toLowerCase()];
  return build ? build(catalog, db) : null; // null: system schema, but a view we do not provide
}

export { declaration };
