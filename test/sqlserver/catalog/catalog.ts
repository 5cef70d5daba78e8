import { sqlErrors } from '../errors';
import { fromJs, parseTypeText, type SqlType, type Value } from '../types';
import { Table, type Column, type Row, type TableState } from './table';

export interface Schema {
  id: number;
  name: string;
}

/** Saved database state (its schemas and set of tables) for transaction rollback. */
export interface DatabaseState {
  schemas: Map<string, Schema>;
  tables: Map<string, Table>;
}

const tableKey = (schema: string, name: string) => `${schema.toLowerCase()}.${name.toLowerCase()}`;

export class Database {
  schemas = new Map<string, Schema>();
  tables = new Map<string, Table>();

  constructor(readonly id: number, readonly name: string) {
    // The fixed schemas every database has, with SQL Server's schema ids.
    this.schemas.set('dbo', { id: 1, name: 'dbo' });
    this.schemas.set('guest', { id: 2, name: 'guest' });
    this.schemas.set('information_schema', { id: 3, name: 'INFORMATION_SCHEMA' });
    this.schemas.set('sys', { id: 4, name: 'sys' });
  }

  schema(name: string): Schema | undefined {
    return this.schemas.get(name.toLowerCase());
  }

  table(schema: string, name: string): Table | undefined {
    return this.tables.get(tableKey(schema, name));
  }

  addTable(t: Table): void {
    this.tables.set(tableKey(t.schema, t.name), t);
  }

  /** Re-keys a table after sp_rename / ALTER SCHEMA TRANSFER changed its name or schema. */
  rekey(t: Table, oldSchema: string, oldName: string): void {
    this.tables.delete(tableKey(oldSchema, oldName));
    this.addTable(t);
  }

  removeTable(t: Table): void {
    this.tables.delete(tableKey(t.schema, t.name));
  }

  saveState(): DatabaseState {
    return { schemas: new Map(this.schemas), tables: new Map(this.tables) };
  }

  restoreState(s: DatabaseState): void {
    this.schemas = s.schemas;
    this.tables = new Map();
    for (const t of s.tables.values()) this.tables.set(tableKey(t.schema, t.name), t);
  }
}

/** A column as tests describe it when seeding tables directly. */
export interface ColumnSpec {
  name: string;
  type: string | SqlType;
  nullable?: boolean;
  primaryKey?: boolean;
  identity?: boolean | { seed: number; increment: number };
}

/** The in-memory databases, schemas and tables shared by all sessions of one server. */
export class Catalog {
  readonly databases = new Map<string, Database>();
  private nextObjectId = 245_575_913;
  private nextDatabaseId = 5;

  constructor(databaseNames: string[]) {
    for (const n of databaseNames) this.createDatabase(n);
  }

  createDatabase(name: string): Database {
    const existing = this.databases.get(name.toLowerCase());
    if (existing) return existing;
    const id = name.toLowerCase() === 'master' ? 1 : this.nextDatabaseId++;
    const db = new Database(id, name);
    this.databases.set(name.toLowerCase(), db);
    return db;
  }

  database(name: string): Database | undefined {
    return this.databases.get(name.toLowerCase());
  }

  newObjectId(): number {
    this.nextObjectId += 16_003;
    return this.nextObjectId;
  }

  newSchemaId(): number {
    return this.newObjectId() % 100_000 + 5;
  }

  /** Creates a table (seeding API; the executor uses the same path for CREATE TABLE). */
  createTable(spec: { database?: string; schema?: string; name: string; columns: ColumnSpec[]; primaryKeyName?: string }): Table {
    const db = this.requireDatabase(spec.database ?? 'hygge');
    const schema = spec.schema ?? 'dbo';
    if (!db.schema(schema)) throw sqlErrors.schemaMissing(schema);
    if (db.table(schema, spec.name)) throw sqlErrors.objectExists(spec.name);
    const columns: Column[] = spec.columns.map((c, i) => {
      const identity = c.identity === true ? { seed: 1n, increment: 1n } : c.identity ? { seed: BigInt(c.identity.seed), increment: BigInt(c.identity.increment) } : undefined;
      return {
        name: c.name,
        type: typeof c.type === 'string' ? parseTypeText(c.type) : c.type,
        nullable: c.primaryKey || identity ? false : c.nullable ?? true,
        identity,
        columnId: i + 1,
      };
    });
    const table = new Table(this.newObjectId(), db.schema(schema)!.name, spec.name, columns);
    const pk = spec.columns.flatMap((c, i) => (c.primaryKey ? [i] : []));
    if (pk.length > 0) {
      table.primaryKey = { name: spec.primaryKeyName ?? defaultPrimaryKeyName(spec.name, table.objectId), objectId: this.newObjectId(), columns: pk };
    }
    db.addTable(table);
    return table;
  }

  /** Looks up "name", "schema.name" or "db.schema.name" (seeding/inspection API). */
  table(name: string, database = 'hygge'): Table | undefined {
    const parts = name.split('.').map((p) => p.replace(/^\[|\]$/g, ''));
    const [dbName, schema, table] = parts.length === 3 ? parts : parts.length === 2 ? [database, ...parts] : [database, 'dbo', parts[0]];
    return this.database(dbName)?.table(schema, table);
  }

  /** Inserts plain JS rows (arrays in column order, or objects keyed by column name). */
  insertRows(name: string, rows: (unknown[] | Record<string, unknown>)[], database = 'hygge'): void {
    const table = this.table(name, database);
    if (!table) throw sqlErrors.invalidObject(name);
    const built: Row[] = rows.map((r) => {
      const values: (Value | undefined)[] = Array.isArray(r)
        ? r.map(fromJs)
        : table.columns.map((c) => (c.name in r ? fromJs(r[c.name]) : undefined));
      const explicit = table.identityColumn() >= 0 && values[table.identityColumn()] !== undefined;
      const row = table.buildRow(values, database, 'INSERT', explicit);
      if (explicit) table.noteIdentity(row[table.identityColumn()]);
      return row;
    });
    table.insertRows(built, database);
  }

  /** The stored rows of a table (inspection API). */
  rows(name: string, database = 'hygge'): readonly Row[] {
    const table = this.table(name, database);
    if (!table) throw sqlErrors.invalidObject(name);
    return table.rows;
  }

  requireDatabase(name: string): Database {
    const db = this.database(name);
    if (!db) throw sqlErrors.databaseMissing(name);
    return db;
  }
}

/** SQL Server names unnamed primary keys PK__<table prefix>__<16 hex digits>. */
export function defaultPrimaryKeyName(table: string, objectId: number): string {
  const hex = (objectId * 2654435761 % 0x1_0000_0000).toString(16).toUpperCase().padStart(8, '0');
  return `PK__${table.slice(0, 8)}__${hex}${(objectId >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

/**
 * Undo information of one transaction: the state of each table and database before the
 * transaction first changed it. Rolling back restores those states (DDL included).
 */
export class UndoLog {
  private readonly tables = new Map<Table, TableState>();
  private readonly databases = new Map<Database, DatabaseState>();

  touchTable(t: Table): void {
    if (!this.tables.has(t)) this.tables.set(t, t.saveState());
  }

  touchDatabase(db: Database): void {
    if (!this.databases.has(db)) this.databases.set(db, db.saveState());
  }

  rollback(): void {
    for (const [t, s] of this.tables) t.restoreState(s);
    for (const [db, s] of this.databases) db.restoreState(s);
  }
}
