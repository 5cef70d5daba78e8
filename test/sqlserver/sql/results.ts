import type { ResultColumn } from '../tokens/colmetadata';
import type { Value } from '../types';
import type { SqlError } from '../errors';
import type { StatementKind } from './ast';

/**
 * Rows of a result set: column i of row r is `rows[r][index[i]]`, so a projection of table
 * columns streams the stored rows without copying them. Only the first `count` rows belong
 * to the result (tables only ever append to their live row array).
 */
export interface ResultSet {
  columns: ResultColumn[];
  rows: readonly Value[][];
  index: number[];
  count: number;
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
