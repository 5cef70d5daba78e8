import type { ResultColumn } from '../tokens/colmetadata';
import type { RowSnapshot } from '../catalog/row-snapshot';
import type { Value } from '../types';
import type { SqlError } from '../errors';
import type { StatementKind } from './ast';

/**
 * Rows of a result set: column i of result row r is column `index[i]` of source row r, or,
 * where `index[i]` is -1, `computed[i][r]` (values worked out when the statement ran, so errors
 * and variables behave as if the whole result had been built then). The source rows are a
 * snapshot, so a projection of table columns streams the table's rows without copying or
 * keeping them (see ResultRowReader).
 */
export interface ResultSet {
  columns: ResultColumn[];
  rows: RowSnapshot;
  index: number[];
  computed?: Value[][];
}

export type EnvChange =
  | { kind: 'database'; newValue: string; oldValue: string }
  | { kind: 'begin'; descriptor: Buffer }
  | { kind: 'commit' | 'rollback'; descriptor: Buffer };

export interface InfoMessage {
  number: number;
  message: string;
  state?: number;
  severity?: number;
}

/** What one executed statement produced, in the order the session must send it. */
export interface StatementResult {
  kind: StatementKind;
  /** DONE CurCmd. */
  curCmd: number;
  /** Rows affected/returned (DONE_COUNT); undefined for statements that report no count. */
  rowCount?: number;
  /** Whether SQL Server sends a DONE token for this statement at all (SET/DECLARE do not). */
  done: boolean;
  resultSet?: ResultSet;
  envChanges: EnvChange[];
  infos: InfoMessage[];
  /** A statement-level error inside EXEC / sp_executesql: reported, and execution went on. */
  error?: SqlError;
}
