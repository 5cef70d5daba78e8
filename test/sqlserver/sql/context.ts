import type { Catalog, Database } from '../catalog/catalog';
import { UndoLog } from '../catalog/catalog';
import type { Table } from '../catalog/table';
import type { SqlType, Value } from '../types';

export interface Variable {
  type: SqlType;
  value: Value;
}

/** Per-session state statements read and change (the executor's view of a session). */
export interface SessionState {
  readonly spid: number;
  readonly userName: string;
  readonly serverName: string;
  database: string;
  /** Declared variables and RPC parameters, keyed by lower-case name including '@'. */
  variables: Map<string, Variable>;
  identityInsert: Set<Table>;
  xactAbort: boolean;
  /** SET NOCOUNT ON: DONE tokens carry no row count. */
  noCount: boolean;
  tranCount: number;
  undo: UndoLog | null;
  /** 8-byte transaction descriptor sent in ENVCHANGE while a transaction is open. */
  descriptor: Buffer;
  scopeIdentity: Value;
  rowCount: number;
}

export interface ExecContext {
  readonly catalog: Catalog;
  readonly session: SessionState;
}

export function currentDatabase(ctx: ExecContext): Database {
  return ctx.catalog.requireDatabase(ctx.session.database);
}

/** Remembers a table's state before the open transaction (if any) first changes it. */
export function touchTable(ctx: ExecContext, t: Table): void {
  ctx.session.undo?.touchTable(t);
}

export function touchDatabase(ctx: ExecContext, db: Database): void {
  ctx.session.undo?.touchDatabase(db);
}

/** Local temp tables (#x) live in tempdb under a per-session name; global (##x) are shared. */
export function tempTableName(name: string, spid: number): string {
  return name.startsWith('##') ? name : `${name}__${spid}`;
}
